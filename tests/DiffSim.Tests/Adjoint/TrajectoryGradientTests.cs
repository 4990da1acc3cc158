using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Systems;
using DiffSim.Tests.Engine;

namespace DiffSim.Tests.Adjoint;

/// <summary>The adjoint gradient of a window loss against central finite differences of the whole trajectory.</summary>
public class TrajectoryGradientTests
{
    private const int Steps = 40;
    private const int SampleEvery = 5;

    private static State Liquid() => TestSystems.LjLiquid(3, seed: 7, meltSteps: 300);

    // A potential smooth at its cutoff: with a force that jumps at r_c (plain LJ), pairs crossing r_c between the
    // ±h runs make finite differences disagree with the (correct) adjoint of the smooth part by a few per cent.
    private static DifferentiablePairField<SmoothSoftSphere> Field(double epsilon, double sigma)
    {
        var table = PairTable<SmoothSoftSphere>.Single(new SmoothSoftSphere(epsilon, sigma), SmoothSoftSphere.Cutoff, shift: false);
        return new DifferentiablePairField<SmoothSoftSphere>(new PairForceField<SmoothSoftSphere>(table, 0.3, Precision.Double, KernelPath.Scalar), ["A"]);
    }

    private static WindowResult Run(State start, string kind, double[] theta, CheckpointPolicy policy)
    {
        var field = Field(theta[0], theta[1]);
        var state = start.Clone();
        return new WindowGradient(field, TestIntegrators.Make(kind)).Run(state, Steps, SampleEvery, [new ProbeObservable()], ProbeObservable.Loss, policy);
    }

    [Theory]
    [InlineData("nve")]
    [InlineData("nhc")]
    [InlineData("langevin")]
    public void ParameterGradientMatchesFiniteDifferences(string kind)
    {
        var start = Liquid();
        double[] theta = [1.05, 0.98];
        var grad = Run(start, kind, theta, CheckpointPolicy.Default).ParameterGradient;
        for (var p = 0; p < 2; p++)
        {
            var h = 1e-5 * theta[p];
            var plus = (double[])theta.Clone(); plus[p] += h;
            var minus = (double[])theta.Clone(); minus[p] -= h;
            var fd = (Run(start, kind, plus, CheckpointPolicy.Default).Loss - Run(start, kind, minus, CheckpointPolicy.Default).Loss) / (2 * h);
            Assert.True(Math.Abs(grad[p] - fd) <= 1e-6 * Math.Abs(fd) + 1e-9,
                $"{kind} θ{p}: adjoint {grad[p]:R} vs finite difference {fd:R} (relative {Math.Abs(grad[p] - fd) / Math.Abs(fd):E2})");
        }
    }

    [Theory]
    [InlineData("nve")]
    [InlineData("nhc")]
    public void InitialStateGradientMatchesFiniteDifferences(string kind)
    {
        var start = Liquid();
        double[] theta = [1.0, 1.0];
        var g = Run(start, kind, theta, CheckpointPolicy.Default).InitialStateGradient;
        foreach (var (particle, component) in new[] { (3, 0), (17, 1), (40, 4), (77, 5) })
        {
            double Perturbed(double h)
            {
                var s = start.Clone();
                var arrays = new[] { s.X, s.Y, s.Z, s.Vx, s.Vy, s.Vz };
                arrays[component][particle] += h;
                // Forces must match the perturbed positions.
                Field(1, 1).Compute(s);
                return Run(s, kind, theta, CheckpointPolicy.Default).Loss;
            }
            // The loss's round-off over 40 steps is ~1e-13: at h = 1e-6 it moved a difference by 4e-8 (2e-6 relative),
            // at 1e-5 both it and the truncation stay near 1e-9.
            const double h = 1e-5;
            var fd = (Perturbed(h) - Perturbed(-h)) / (2 * h);
            var adj = new[] { g.X, g.Y, g.Z, g.Vx, g.Vy, g.Vz }[component][particle];
            Assert.True(Math.Abs(adj - fd) <= 1e-6 * Math.Abs(fd) + 1e-8, $"{kind} particle {particle} component {component}: adjoint {adj:R} vs {fd:R}");
        }
    }

    [Theory]
    [InlineData("nve")]
    [InlineData("nhc")]
    [InlineData("langevin")]
    public void CheckpointedGradientEqualsFullyStored(string kind)
    {
        var start = Liquid();
        double[] theta = [1.0, 1.0];
        var all = Run(start, kind, theta, CheckpointPolicy.StoreAll);
        var stateBytes = start.Bytes;
        // A budget too small for the whole window falls back to ⌈√T⌉; a window that fits is stored whole by default.
        var sqrt = Run(start, kind, theta, new CheckpointPolicy { MemoryBudgetBytes = 20 * stateBytes });
        var odd = Run(start, kind, theta, new CheckpointPolicy { Interval = 6 });
        Assert.Equal(1, all.CheckpointInterval);
        Assert.Equal(1, Run(start, kind, theta, CheckpointPolicy.Default).CheckpointInterval);
        Assert.Equal(7, sqrt.CheckpointInterval);
        Assert.True(sqrt.PeakStateBytes < all.PeakStateBytes / 2);
        for (var p = 0; p < 2; p++)
        {
            Assert.Equal(all.ParameterGradient[p], sqrt.ParameterGradient[p], 1e-9 * Math.Abs(all.ParameterGradient[p]));
            Assert.Equal(all.ParameterGradient[p], odd.ParameterGradient[p], 1e-9 * Math.Abs(all.ParameterGradient[p]));
        }
    }
}
