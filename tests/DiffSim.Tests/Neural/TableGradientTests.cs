using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Systems;
using DiffSim.Tests.Adjoint;
using DiffSim.Tests.Engine;
using DiffSim.Tests.Observables;
using Xunit.Abstractions;

namespace DiffSim.Tests.Neural;

/// <summary>Shared set-up of the window-gradient checks: a small LJ liquid, a probe observable and a nonlinear loss.</summary>
internal static class GradientCheck
{
    public const int Steps = 40;
    public const int SampleEvery = 5;

    private static State? _liquid;

    public static State Liquid()
    {
        _liquid ??= TestSystems.LjLiquid(3, seed: 7, meltSteps: 300);
        return _liquid.Clone();
    }

    public static double Loss(IReadOnlyList<IWindowObservable> obs, double[][] d)
    {
        var v = obs[0].Value;
        d[0][0] = 2 * (v[0] - 1.0);
        d[0][1] = 3.0;
        return (v[0] - 1.0) * (v[0] - 1.0) + 3.0 * v[1];
    }

    public static WindowResult Run(IDifferentiableForceField field, ReadOnlySpan<double> theta, IIntegrator integrator)
    {
        field.SetParameters(theta);
        var state = Liquid();
        return new WindowGradient(field, integrator).Run(state, Steps, SampleEvery, [new ProbeObservable()], Loss);
    }

    /// <summary>Central difference of the window loss in parameter p.</summary>
    public static double FiniteDifference(IDifferentiableForceField field, double[] theta, int p, double h, Func<IIntegrator> integrator)
    {
        var plus = (double[])theta.Clone(); plus[p] += h;
        var minus = (double[])theta.Clone(); minus[p] -= h;
        var fd = (Run(field, plus, integrator()).Loss - Run(field, minus, integrator()).Loss) / (2 * h);
        field.SetParameters(theta);
        return fd;
    }
}

public class TableGradientTests(ITestOutputHelper output)
{
    private static DifferentiableTableField SoftSphereTable()
    {
        var p = new SmoothSoftSphere(1.05, 0.98);
        var t = HermiteTable.FromFunction(0.6, SmoothSoftSphere.Cutoff, 0.005, p.Energy, p.Derivative);
        return DifferentiableTableField.Create(["A"], (_, _) => t, 0.3, Precision.Double, KernelPath.Scalar);
    }

    [Fact]
    public void ForwardMatchesTheAnalyticPotential()
    {
        var field = SoftSphereTable();
        var analytic = PairTable<SmoothSoftSphere>.Single(new SmoothSoftSphere(1.05, 0.98), SmoothSoftSphere.Cutoff, false);
        var s1 = GradientCheck.Liquid();
        var s2 = s1.Clone();
        var e1 = field.Compute(s1).Energy;
        var e2 = new PairForceField<SmoothSoftSphere>(analytic, 0.3, Precision.Double, KernelPath.Scalar).Compute(s2).Energy;
        Assert.Equal(e2, e1, 1e-7 * Math.Abs(e2));
        for (var i = 0; i < s1.Count; i++) Assert.Equal(s2.Fx[i], s1.Fx[i], 1e-5);
    }

    /// <summary>
    /// The single-precision reverse pass (float forward forces: eight partners a vector, the float jet, one float
    /// read-modify-write per pair's knots) against the double pass at the same state and w, for the products J·w and the
    /// knot gradient, relative to the largest of each; a pair's term or knot placed wrongly would be off by its size.
    /// The knot terms are the coarser (1.3·10⁻⁴ here against 1.2·10⁻⁶ for the products): float positions place a pair
    /// within its interval only to about 10⁻⁶/Δ = 2·10⁻⁴ of it, and the knot weights vary across the interval by
    /// O(1/Δ); a window's weight gradient averages this out (NeuralGradientTests: 5·10⁻⁶).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // two types: three tables of different reach, grouped by the partner's type
    public void FloatReversePassEqualsTheDoubleOneToFloatRounding(bool mixture)
    {
        var p = new SmoothSoftSphere(1.05, 0.98);
        var q = new SmoothSoftSphere(0.8, 0.9);
        var t = HermiteTable.FromFunction(0.6, SmoothSoftSphere.Cutoff, 0.005, p.Energy, p.Derivative);
        var u = HermiteTable.FromFunction(0.5, 0.9 * SmoothSoftSphere.Cutoff, 0.004, q.Energy, q.Derivative);
        var state = mixture ? ObservableSystems.Jiggled(4, 0.8442, 0.2, 5, fractionB: 0.3) : GradientCheck.Liquid();
        string[] names = mixture ? ["A", "B"] : ["A"];
        var n = state.Count;
        var w = ObservableSystems.Coefficients(3 * n, 17);
        var (wx, wy, wz) = (w.AsSpan(0, n).ToArray(), w.AsSpan(n, n).ToArray(), w.AsSpan(2 * n, n).ToArray());
        (PhaseSpaceGradient Products, double[] Knots) Pass(Precision precision)
        {
            var field = DifferentiableTableField.Create(names, (a, b) => a + b == 1 ? u : t, 0.3, precision);
            var products = new PhaseSpaceGradient(n);
            var knots = new double[field.AccumulatorLength];
            field.Backward(state, wx, wy, wz, products, knots);
            return (products, knots);
        }
        var (exact, exactKnots) = Pass(Precision.Double);
        var (single, singleKnots) = Pass(Precision.Float);
        var scale = exact.X.Concat(exact.Y).Concat(exact.Z).Max(Math.Abs);
        var worst = 0.0;
        for (var i = 0; i < n; i++)
            worst = Math.Max(worst, Math.Max(Math.Abs(single.X[i] - exact.X[i]), Math.Max(Math.Abs(single.Y[i] - exact.Y[i]), Math.Abs(single.Z[i] - exact.Z[i]))));
        var knotScale = exactKnots.Max(Math.Abs);
        var worstKnot = exactKnots.Zip(singleKnots, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"float against double: products {worst / scale:E2}, knot gradient {worstKnot / knotScale:E2} of the largest");
        Assert.True(scale > 0 && knotScale > 0, "the test pass is degenerate");
        Assert.True(worst < 1e-5 * scale, $"products differ by {worst / scale:E2} of the largest");
        Assert.True(worstKnot < 1e-3 * knotScale, $"knot gradient differs by {worstKnot / knotScale:E2} of the largest");
    }

    /// <summary>
    /// The tables' reverse pass (slices of four or eight first partners, blocks per partner type) in a mixture whose
    /// tables reach differently, against J·w summed pair by pair from the tables' own u' and u'': an independent check
    /// of the products, in both precisions.
    /// </summary>
    [Theory]
    [InlineData(Precision.Double, 1e-12)]
    [InlineData(Precision.Float, 1e-5)]
    public void MixtureReversePassEqualsThePerPairSum(Precision precision, double tolerance)
    {
        var p = new SmoothSoftSphere(1.05, 0.98);
        var q = new SmoothSoftSphere(0.8, 0.9);
        var t = HermiteTable.FromFunction(0.6, SmoothSoftSphere.Cutoff, 0.005, p.Energy, p.Derivative);
        var u = HermiteTable.FromFunction(0.5, 0.9 * SmoothSoftSphere.Cutoff, 0.004, q.Energy, q.Derivative);
        HermiteTable Table(int a, int b) => a + b == 1 ? u : t;
        var state = ObservableSystems.Jiggled(4, 0.8442, 0.2, 5, fractionB: 0.3);
        var n = state.Count;
        var w = ObservableSystems.Coefficients(3 * n, 19);
        var (wx, wy, wz) = (w.AsSpan(0, n).ToArray(), w.AsSpan(n, n).ToArray(), w.AsSpan(2 * n, n).ToArray());
        var field = DifferentiableTableField.Create(["A", "B"], Table, 0.3, precision);
        var products = new PhaseSpaceGradient(n);
        field.Backward(state, wx, wy, wz, products, new double[field.AccumulatorLength]);

        var expected = new PhaseSpaceGradient(n);
        var box = state.Box;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var table = Table(state.TypeOf[i], state.TypeOf[j]);
                var dx = Box.MinimumImage(state.X[i] - state.X[j], box.Lx);
                var dy = Box.MinimumImage(state.Y[i] - state.Y[j], box.Ly);
                var dz = Box.MinimumImage(state.Z[i] - state.Z[j], box.Lz);
                var r = Math.Sqrt(dx * dx + dy * dy + dz * dz);
                if (r >= table.Cutoff) continue;
                // φ = −u'/r and 2 dφ/ds = (u'/r − u'')/r², as the pass forms them.
                double du = table.Derivative(r), d2u = table.SecondDerivative(r);
                double ux = wx[i] - wx[j], uy = wy[i] - wy[j], uz = wz[i] - wz[j];
                var c = (du / r - d2u) / (r * r) * (dx * ux + dy * uy + dz * uz);
                double jx = -du / r * ux + c * dx, jy = -du / r * uy + c * dy, jz = -du / r * uz + c * dz;
                expected.X[i] += jx; expected.Y[i] += jy; expected.Z[i] += jz;
                expected.X[j] -= jx; expected.Y[j] -= jy; expected.Z[j] -= jz;
            }
        var scale = expected.X.Concat(expected.Y).Concat(expected.Z).Max(Math.Abs);
        Assert.True(scale > 0, "the test pass is degenerate");
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(expected.X[i], products.X[i], tolerance * scale);
            Assert.Equal(expected.Y[i], products.Y[i], tolerance * scale);
            Assert.Equal(expected.Z[i], products.Z[i], tolerance * scale);
        }
    }

    private static Func<IIntegrator> Integrator(string kind) => kind == "nve" ? () => new VelocityVerlet(0.005) : () => new Langevin(0.005, 1.0, 0.2, seed: 3);

    // A Hermite table is C¹, not C²: u'' jumps at the knots, so the trajectory is only piecewise smooth in θ and a
    // finite difference picks up kinks where a pair distance crosses a knot between the ±h runs. Perturbing one knot
    // makes those jumps O(h/Δ²) at its neighbours, so a single-knot difference converges only linearly in h (measured:
    // 5e-5 relative at h = 1e-5, 3e-6 at 1e-6, 2e-7 at 1e-7). A direction that is itself a smooth function sampled on
    // the knots (values and slopes of a bump) leaves the jumps O(Δ²) and gives a clean check of the whole gradient.
    [Theory]
    [InlineData("nve")]
    [InlineData("langevin")]
    public void DirectionalKnotGradientMatchesFiniteDifferencesOfTheTrajectory(string kind)
    {
        var field = SoftSphereTable();
        var theta = new double[field.ParameterCount];
        field.GetParameters(theta);
        var grad = GradientCheck.Run(field, theta, Integrator(kind)()).ParameterGradient;
        var t = field.Table(0, 0);
        foreach (var (centre, width) in new[] { (1.1, 0.04), (1.45, 0.1) })
        {
            var v = TableBump.Direction(t, theta.Length, centre, width);
            var adjoint = grad.Select((g, p) => g * v[p]).Sum();
            const double h = 1e-6;
            var plus = theta.Select((x, p) => x + h * v[p]).ToArray();
            var minus = theta.Select((x, p) => x - h * v[p]).ToArray();
            var fd = (GradientCheck.Run(field, plus, Integrator(kind)()).Loss - GradientCheck.Run(field, minus, Integrator(kind)()).Loss) / (2 * h);
            var rel = Math.Abs(adjoint - fd) / Math.Abs(fd);
            output.WriteLine($"{kind} bump at {centre}: adjoint {adjoint:E10} fd {fd:E10} relative {rel:E2}");
            Assert.True(rel <= 1e-6, $"bump at {centre}: adjoint {adjoint:R} vs {fd:R} (relative {rel:E2})");
        }
    }

    [Fact]
    public void SingleKnotGradientMatchesFiniteDifferencesOfTheTrajectory()
    {
        var field = SoftSphereTable();
        var theta = new double[field.ParameterCount];
        field.GetParameters(theta);
        var grad = GradientCheck.Run(field, theta, Integrator("nve")()).ParameterGradient;
        var t = field.Table(0, 0);
        int Y(double r) => (int)Math.Round((r - t.R0) / t.Spacing);
        foreach (var (p, h) in new[] { (Y(1.0), 1e-7), (Y(1.1), 1e-7), (Y(1.35), 1e-7), (t.Count + Y(1.05), 1e-5) })
        {
            var fd = GradientCheck.FiniteDifference(field, theta, p, h, Integrator("nve"));
            var rel = Math.Abs(grad[p] - fd) / Math.Abs(fd);
            output.WriteLine($"{field.ParameterNames[p]}: adjoint {grad[p]:E10} fd {fd:E10} relative {rel:E2}");
            Assert.True(rel <= 2e-6, $"{field.ParameterNames[p]}: adjoint {grad[p]:R} vs {fd:R} (relative {rel:E2})");
        }
    }
}
