using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Tests.Adjoint;

/// <summary>
/// The pressure and energy observable reading each frame's pairs from an RDF of the same window: the gradient of its
/// own searches to round-off (the same pairs summed in another order) and of central finite differences, with no
/// search of its own when the RDF's range covers the cutoff, and its own searches when it does not.
/// </summary>
public class ThermoFramePairTests
{
    private const int Steps = 40;
    private const int SampleEvery = 5;

    private static DifferentiablePairField<SmoothSoftSphere> Field(double[] theta)
    {
        var table = PairTable<SmoothSoftSphere>.Single(new SmoothSoftSphere(1.0, 1.0), SmoothSoftSphere.Cutoff, shift: false);
        var field = new DifferentiablePairField<SmoothSoftSphere>(new PairForceField<SmoothSoftSphere>(table, 0.3, Precision.Double, KernelPath.Scalar), ["A"]);
        field.SetParameters(theta);
        return field;
    }

    // The thermo is the last observable; a loss on it alone (the RDF's ∂L/∂O stays zero).
    private static double Loss(IReadOnlyList<IWindowObservable> obs, double[][] d)
    {
        var v = obs[^1].Value;
        d[^1][DifferentiableThermo.Pressure] = 2 * (v[DifferentiableThermo.Pressure] - 1.3);
        d[^1][DifferentiableThermo.Energy] = 0.7;
        return (v[DifferentiableThermo.Pressure] - 1.3) * (v[DifferentiableThermo.Pressure] - 1.3) + 0.7 * v[DifferentiableThermo.Energy];
    }

    /// <summary>A window with the thermo behind an RDF of range rMax + 5σ (none when rMax is 0); its searches of its own.</summary>
    private static (WindowResult Result, int Searches) Run(double[] theta, State start, double rMax)
    {
        var field = Field(theta);
        var thermo = new DifferentiableThermo(field);
        IWindowObservable[] observables = rMax > 0 ? [new SmearedRdf(1, 20, 0.5, rMax, 0.02), thermo] : [thermo];
        var result = new WindowGradient(field, new NoseHooverChain(0.005, 1.0, 0.05, 3)).Run(start.Clone(), Steps, SampleEvery, observables, Loss);
        return (result, thermo.Searches);
    }

    [Fact]
    public void RdfPairsGiveTheGradientOfOwnSearches()
    {
        var start = Neural.GradientCheck.Liquid();
        double[] theta = [1.05, 0.98];
        var (own, ownSearches) = Run(theta, start, 0);
        // Range 2.45 + 0.1 reaches the cutoff 2.5 (half the box is 2.56).
        var (shared, sharedSearches) = Run(theta, start, 2.45);
        Assert.Equal(0, sharedSearches);
        Assert.Equal(2 * (Steps / SampleEvery), ownSearches);
        Assert.Equal(own.Loss, shared.Loss, 1e-12 * Math.Abs(own.Loss));
        GradientAssert.Equal(own, shared, 1e-10);
    }

    [Fact]
    public void RdfShorterThanTheCutoffLeavesTheThermoSearching()
    {
        var start = Neural.GradientCheck.Liquid();
        var (_, searches) = Run([1.0, 1.0], start, 2.0);
        Assert.Equal(2 * (Steps / SampleEvery), searches);
    }

    [Fact]
    public void ParameterGradientOnRdfPairsMatchesFiniteDifferences()
    {
        var start = Neural.GradientCheck.Liquid();
        double[] theta = [1.05, 0.98];
        var grad = Run(theta, start, 2.45).Result.ParameterGradient;
        for (var p = 0; p < 2; p++)
        {
            var h = 1e-5 * theta[p];
            var plus = (double[])theta.Clone(); plus[p] += h;
            var minus = (double[])theta.Clone(); minus[p] -= h;
            var fd = (Run(plus, start, 2.45).Result.Loss - Run(minus, start, 2.45).Result.Loss) / (2 * h);
            Assert.True(Math.Abs(grad[p] - fd) <= 1e-6 * Math.Abs(fd), $"θ{p}: adjoint {grad[p]:R} vs finite difference {fd:R}");
        }
    }
}
