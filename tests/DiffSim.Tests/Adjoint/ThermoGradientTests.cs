using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Systems;
using DiffSim.Tests.Engine;
using DiffSim.Tests.Neural;
using Xunit.Abstractions;

namespace DiffSim.Tests.Adjoint;

/// <summary>
/// The pressure and potential-energy observable (<see cref="DifferentiableThermo"/>) and the fields' energy and
/// virial reverse pass, against central finite differences: at fixed positions, and through a whole window.
/// </summary>
public class ThermoGradientTests(ITestOutputHelper output)
{
    private const int Steps = 40;
    private const int SampleEvery = 5;

    private static DifferentiablePairField<TPotential> Analytic<TPotential>(TPotential potential, double cutoff, bool shift)
        where TPotential : struct, IPairPotential<TPotential>
    {
        var table = PairTable<TPotential>.Single(potential, cutoff, shift);
        return new DifferentiablePairField<TPotential>(new PairForceField<TPotential>(table, 0.3, Precision.Double, KernelPath.Scalar), ["A"]);
    }

    private static DifferentiableTableField SoftSphereTable()
    {
        var p = new SmoothSoftSphere(1.05, 0.98);
        var t = HermiteTable.FromFunction(0.6, SmoothSoftSphere.Cutoff, 0.005, p.Energy, p.Derivative);
        return DifferentiableTableField.Create(["A"], (_, _) => t, 0.3, Precision.Double, KernelPath.Scalar);
    }

    private static IIntegrator Make(string kind) => kind switch
    {
        "nve" => new VelocityVerlet(0.005),
        "nhc" => new NoseHooverChain(0.005, 1.0, 0.05, 3),
        _ => throw new ArgumentException(kind),
    };

    // Nonlinear in P, so the chain rule through ∂L/∂O is exercised; linear in U with a weight of its own.
    private static double Loss(IReadOnlyList<IWindowObservable> obs, double[][] d)
    {
        var v = obs[0].Value;
        d[0][DifferentiableThermo.Pressure] = 2 * (v[DifferentiableThermo.Pressure] - 1.3);
        d[0][DifferentiableThermo.Energy] = 0.7;
        return (v[DifferentiableThermo.Pressure] - 1.3) * (v[DifferentiableThermo.Pressure] - 1.3) + 0.7 * v[DifferentiableThermo.Energy];
    }

    private static WindowResult Window(IDifferentiableEnergyVirial field, ReadOnlySpan<double> theta, State start, string kind)
    {
        field.SetParameters(theta);
        var state = start.Clone();
        return new WindowGradient(field, Make(kind)).Run(state, Steps, SampleEvery, [new DifferentiableThermo(field)], Loss);
    }

    // 1e-6 relative, with TrajectoryGradientTests' absolute floor of 1e-8 for the small initial-state components.
    private void AssertClose(string what, double adjoint, double fd, double absolute = 0)
    {
        var rel = Math.Abs(adjoint - fd) / Math.Abs(fd);
        output.WriteLine($"{what}: adjoint {adjoint:E10} fd {fd:E10} relative {rel:E2}");
        Assert.True(Math.Abs(adjoint - fd) <= 1e-6 * Math.Abs(fd) + absolute, $"{what}: adjoint {adjoint:R} vs finite difference {fd:R} (relative {rel:E2})");
    }

    [Fact]
    public void EnergyAndVirialMatchTheForceKernel()
    {
        var field = Analytic(new LennardJones(1.0, 1.0), 2.5, shift: true);
        var state = GradientCheck.Liquid();
        var kernel = field.Compute(state);
        var (energy, virial) = field.EnergyAndVirial(state);
        Assert.Equal(kernel.Energy, energy, 1e-10 * Math.Abs(kernel.Energy));
        Assert.Equal(kernel.Virial, virial, 1e-10 * Math.Abs(kernel.Virial));

        var table = SoftSphereTable();
        var t = table.Compute(state);
        var tv = table.EnergyAndVirial(state);
        Assert.Equal(t.Energy, tv.Energy, 1e-10 * Math.Abs(t.Energy));
        Assert.Equal(t.Virial, tv.Virial, 1e-10 * Math.Abs(t.Virial));
    }

    // At fixed positions U and W are smooth in x and θ even for shifted LJ (no pair crosses the cutoff within ±h),
    // so this checks the energy shift's ∂u(r_c)/∂θ that the smooth potential of the window tests does not have.
    [Fact]
    public void StaticGradientOfShiftedLennardJonesMatchesFiniteDifferences()
    {
        const double a = 0.8, b = -0.3;
        var field = Analytic(new LennardJones(1.0, 1.0), 2.5, shift: true);
        double[] theta = [1.1, 0.97];
        var state = GradientCheck.Liquid();
        double Objective(State s)
        {
            var (u, w) = field.EnergyAndVirial(s);
            return a * u + b * w;
        }
        field.SetParameters(theta);
        var g = new PhaseSpaceGradient(state.Count);
        var acc = new double[field.AccumulatorLength];
        field.EnergyAndVirialBackward(state, a, b, g, acc);
        for (var p = 0; p < 2; p++)
        {
            var h = 1e-6 * theta[p];
            var plus = (double[])theta.Clone(); plus[p] += h;
            var minus = (double[])theta.Clone(); minus[p] -= h;
            field.SetParameters(plus); var up = Objective(state);
            field.SetParameters(minus); var down = Objective(state);
            AssertClose($"shifted LJ θ{p}", acc[p], (up - down) / (2 * h));
        }
        field.SetParameters(theta);
        foreach (var (particle, component) in new[] { (3, 0), (17, 1), (40, 2) })
        {
            double Moved(double h)
            {
                var s = state.Clone();
                new[] { s.X, s.Y, s.Z }[component][particle] += h;
                return Objective(s);
            }
            const double h = 1e-6;
            AssertClose($"shifted LJ x[{particle}, {component}]", new[] { g.X, g.Y, g.Z }[component][particle], (Moved(h) - Moved(-h)) / (2 * h));
        }
    }

    [Theory]
    [InlineData("nve")]
    [InlineData("nhc")]
    public void ParameterGradientThroughTheWindowMatchesFiniteDifferences(string kind)
    {
        var field = Analytic(new SmoothSoftSphere(1, 1), SmoothSoftSphere.Cutoff, shift: false);
        var start = GradientCheck.Liquid();
        double[] theta = [1.05, 0.98];
        var grad = Window(field, theta, start, kind).ParameterGradient;
        for (var p = 0; p < 2; p++)
        {
            var h = 1e-5 * theta[p];
            var plus = (double[])theta.Clone(); plus[p] += h;
            var minus = (double[])theta.Clone(); minus[p] -= h;
            var fd = (Window(field, plus, start, kind).Loss - Window(field, minus, start, kind).Loss) / (2 * h);
            AssertClose($"{kind} θ{p}", grad[p], fd);
        }
    }

    [Theory]
    [InlineData("nve")]
    [InlineData("nhc")]
    public void InitialStateGradientThroughTheWindowMatchesFiniteDifferences(string kind)
    {
        var field = Analytic(new SmoothSoftSphere(1, 1), SmoothSoftSphere.Cutoff, shift: false);
        var start = GradientCheck.Liquid();
        double[] theta = [1.0, 1.0];
        field.SetParameters(theta);
        field.Compute(start);
        var g = Window(field, theta, start, kind).InitialStateGradient;
        foreach (var (particle, component) in new[] { (3, 0), (17, 1), (40, 4), (77, 5), (90, 3) })
        {
            double Perturbed(double h)
            {
                var s = start.Clone();
                new[] { s.X, s.Y, s.Z, s.Vx, s.Vy, s.Vz }[component][particle] += h;
                field.Compute(s);
                return Window(field, theta, s, kind).Loss;
            }
            // As in TrajectoryGradientTests: a smaller step is lost in the window loss's round-off.
            const double h = 1e-5;
            AssertClose($"{kind} particle {particle} component {component}", new[] { g.X, g.Y, g.Z, g.Vx, g.Vy, g.Vz }[component][particle], (Perturbed(h) - Perturbed(-h)) / (2 * h), absolute: 1e-8);
        }
    }

    // As in TableGradientTests: along a smooth bump of knot values and slopes, so that knot-crossing kinks of the
    // C¹ table stay O(Δ²) and the finite difference is clean.
    [Theory]
    [InlineData("nve")]
    [InlineData("nhc")]
    public void TableKnotGradientThroughTheWindowMatchesFiniteDifferences(string kind)
    {
        var field = SoftSphereTable();
        var start = GradientCheck.Liquid();
        var theta = new double[field.ParameterCount];
        field.GetParameters(theta);
        var grad = Window(field, theta, start, kind).ParameterGradient;
        var t = field.Table(0, 0);
        foreach (var (centre, width) in new[] { (1.1, 0.04), (1.45, 0.1) })
        {
            var v = TableBump.Direction(t, theta.Length, centre, width);
            const double h = 1e-6;
            var fd = (Window(field, theta.Select((x, p) => x + h * v[p]).ToArray(), start, kind).Loss
                - Window(field, theta.Select((x, p) => x - h * v[p]).ToArray(), start, kind).Loss) / (2 * h);
            AssertClose($"{kind} table bump at {centre}", grad.Select((g, p) => g * v[p]).Sum(), fd);
        }
    }

    [Fact]
    public void NetworkWeightGradientThroughTheWindowMatchesFiniteDifferences()
    {
        var field = new NeuralPairField(["A"], NeuralNetworkTests.Small(), path: KernelPath.Scalar);
        var theta = NeuralNetworkTests.Randomised(field);
        var start = GradientCheck.Liquid();
        var grad = Window(field, theta, start, "nhc").ParameterGradient;
        foreach (var name in new[] { "w1[3,5]", "b1[7]", "w_out[4]", "b_out" })
        {
            var p = field.ParameterNames.ToList().FindIndex(n => n.EndsWith(name, StringComparison.Ordinal));
            // h = 1e-4, as in NeuralGradientTests: the table is C¹, and a weight moves every knot smoothly.
            const double h = 1e-4;
            var plus = (double[])theta.Clone(); plus[p] += h;
            var minus = (double[])theta.Clone(); minus[p] -= h;
            var fd = (Window(field, plus, start, "nhc").Loss - Window(field, minus, start, "nhc").Loss) / (2 * h);
            AssertClose($"network {name}", grad[p], fd);
        }
    }
}
