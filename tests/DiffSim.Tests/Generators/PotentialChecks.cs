using System.Runtime.Intrinsics;

namespace DiffSim.Tests.Generators;

/// <summary>One potential with parameter values, a range of distances and where its pieces join.</summary>
public sealed record PotentialCase(string Name, IProbe Probe, double[] Theta, double RMin, double RMax, double[] Kinks)
{
    public override string ToString() => Name;

    /// <summary>Distances spread over [RMin, RMax], geometric so the steep core is sampled well, kept away from the kinks.</summary>
    public double[] Distances(int count = 41)
    {
        var result = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var r = RMin * Math.Pow(RMax / RMin, i / (count - 1.0));
            if (Kinks.All(k => Math.Abs(r - k) > 0.01 * k)) result.Add(r);
        }
        return result.ToArray();
    }

    /// <summary>Starting step for the finite differences at r: small next to r and to the distance to a kink.</summary>
    public double Step(double r) => Math.Min(0.05 * r, Kinks.Select(k => 0.5 * Math.Abs(r - k)).DefaultIfEmpty(double.MaxValue).Min());
}

/// <summary>Agreement checks between the generated members and finite differences, and between the SIMD, GPU and scalar forms.</summary>
public static class PotentialChecks
{
    /// <summary>Relative error |a − b| / max(|b|, floor): floor is a small fraction of the quantity's largest magnitude on the grid, so zero crossings do not divide by ~0.</summary>
    public static double RelativeError(double actual, double expected, double floor)
        => Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), floor);

    public const double FloorFraction = 1e-6;

    /// <summary>Checks u', u'', ∂u/∂θ and ∂u'/∂θ against Ridders finite differences; returns the worst relative error seen.</summary>
    public static double AssertDerivativesMatchFiniteDifferences(PotentialCase c, double tolerance = 1e-7)
    {
        var p = c.Probe;
        var rs = c.Distances();
        var checks = new List<(string What, double R, double Exact, double Fd)>();
        foreach (var r in rs)
        {
            var h = c.Step(r);
            checks.Add(("u'", r, p.Derivative(c.Theta, r), FiniteDifference.Derivative(x => p.Energy(c.Theta, x), r, h, out _)));
            checks.Add(("u''", r, p.SecondDerivative(c.Theta, r), FiniteDifference.Derivative(x => p.Derivative(c.Theta, x), r, h, out _)));
            var g = p.ParameterGradient(c.Theta, r);
            var gd = p.ParameterGradientOfDerivative(c.Theta, r);
            for (var k = 0; k < c.Theta.Length; k++)
            {
                var k1 = k;
                double EnergyAt(double v) => p.Energy(With(c.Theta, k1, v), r);
                double DerivativeAt(double v) => p.Derivative(With(c.Theta, k1, v), r);
                // Small enough that a kink moving with the parameter (WCA's cutoff 2^{1/6}σ) is not crossed at the sampled r.
                var hk = 0.004 * Math.Abs(c.Theta[k]);
                checks.Add(("du/d" + p.ParameterNames[k], r, g[k], FiniteDifference.Derivative(EnergyAt, c.Theta[k], hk, out _)));
                checks.Add(("du'/d" + p.ParameterNames[k], r, gd[k], FiniteDifference.Derivative(DerivativeAt, c.Theta[k], hk, out _)));
            }
        }
        var worst = 0.0;
        foreach (var group in checks.GroupBy(x => x.What))
        {
            var floor = FloorFraction * group.Max(x => Math.Abs(x.Exact));
            foreach (var (what, r, exact, fd) in group)
            {
                var e = RelativeError(exact, fd, floor);
                Assert.True(e <= tolerance, $"{c.Name}: {what} at r = {r}: generated {exact:R}, finite difference {fd:R}, relative error {e:E2}");
                worst = Math.Max(worst, e);
            }
        }
        // The checks are not vacuous: the gradients are not all zero.
        Assert.Contains(checks, x => Math.Abs(x.Exact) > 1e-6);
        return worst;
    }

    private static double[] With(double[] theta, int k, double value)
    {
        var copy = (double[])theta.Clone();
        copy[k] = value;
        return copy;
    }

    /// <summary>Checks Evaluate (double, float; scalar, Vector256, Vector512) and the GPU forms against u and −u'/r. Returns the worst double and float relative errors.</summary>
    public static (double Double, double Float) AssertKernelFormsAgree(PotentialCase c) => AssertKernelFormsAgree(c, out _);

    public static (double Double, double Float) AssertKernelFormsAgree(PotentialCase c, out string worstFloatCheck)
    {
        var worstWhat = "";
        var p = c.Probe;
        var rs = c.Distances(48);
        var n = rs.Length - rs.Length % 16;
        rs = rs.Take(n).ToArray();
        var r2 = rs.Select(r => r * r).ToArray();
        var u = rs.Select(r => p.Energy(c.Theta, r)).ToArray();
        var phi = rs.Select(r => -p.Derivative(c.Theta, r) / r).ToArray();
        var uFloor = FloorFraction * u.Max(Math.Abs);
        var phiFloor = FloorFraction * phi.Max(Math.Abs);
        // Float results differ from double by rounding amplified where terms cancel (near zero crossings): compare
        // float with double to 1e-3 of the value or of the largest magnitude on the grid, and float SIMD with float
        // scalar (the same operations, but vector exp/log/pow) to 2e-4.
        const double FloatTolerance = 1e-3;
        const double FloatSimdTolerance = 2e-4;
        var uFloorFloat = 1e-3 * u.Max(Math.Abs);
        var phiFloorFloat = 1e-3 * phi.Max(Math.Abs);
        var worstDouble = 0.0;
        var worstFloat = 0.0;

        void Check(string what, int i, double actual, double expected, double floor, double tolerance, ref double worst)
        {
            var e = RelativeError(actual, expected, floor);
            Assert.True(e <= tolerance, $"{c.Name}: {what} at r = {rs[i]}: {actual:R} vs {expected:R}, relative error {e:E2}");
            if (e > worst && tolerance > 1e-10) worstWhat = what + " at r = " + rs[i].ToString("G4");
            worst = Math.Max(worst, e);
        }

        // Scalar double Evaluate<T> against the r-based definition.
        var scalar = r2.Select(x => p.Evaluate(c.Theta, x)).ToArray();
        for (var i = 0; i < n; i++)
        {
            Check("Evaluate<double> energy", i, scalar[i].Energy, u[i], uFloor, 1e-12, ref worstDouble);
            Check("Evaluate<double> φ", i, scalar[i].ForceOverR, phi[i], phiFloor, 1e-12, ref worstDouble);
        }

        // SIMD double, lane by lane against scalar double.
        foreach (var bits in new[] { 256, 512 })
        {
            var e = new double[n];
            var f = new double[n];
            p.EvaluateVector(bits, c.Theta, r2, e, f);
            for (var i = 0; i < n; i++)
            {
                Check($"Vector{bits}<double> energy", i, e[i], scalar[i].Energy, uFloor, 1e-13, ref worstDouble);
                Check($"Vector{bits}<double> φ", i, f[i], scalar[i].ForceOverR, phiFloor, 1e-13, ref worstDouble);
            }
        }

        // Float: scalar float against double; SIMD float lane by lane against scalar float; GPU float against scalar float.
        var r2f = r2.Select(x => (float)x).ToArray();
        var scalarFloat = r2f.Select(x => p.EvaluateFloat(c.Theta, x)).ToArray();
        for (var i = 0; i < n; i++)
        {
            // The float input r² is itself rounded: compare with double evaluated at the same rounded r².
            var exact = p.Evaluate(c.Theta, r2f[i]);
            Check("Evaluate<float> energy", i, scalarFloat[i].Energy, exact.Energy, uFloorFloat, FloatTolerance, ref worstFloat);
            Check("Evaluate<float> φ", i, scalarFloat[i].ForceOverR, exact.ForceOverR, phiFloorFloat, FloatTolerance, ref worstFloat);
        }
        foreach (var bits in new[] { 256, 512 })
        {
            var e = new float[n];
            var f = new float[n];
            p.EvaluateVector(bits, c.Theta, r2f, e, f);
            for (var i = 0; i < n; i++)
            {
                Check($"Vector{bits}<float> energy", i, e[i], scalarFloat[i].Energy, uFloorFloat, FloatSimdTolerance, ref worstFloat);
                Check($"Vector{bits}<float> φ", i, f[i], scalarFloat[i].ForceOverR, phiFloorFloat, FloatSimdTolerance, ref worstFloat);
            }
        }
        for (var i = 0; i < n; i++)
        {
            var exact = p.Evaluate(c.Theta, r2f[i]);
            var gpu = p.EvaluateGpu(c.Theta, r2f[i]);
            Check("EvaluateGpu energy", i, gpu.Energy, exact.Energy, uFloorFloat, FloatTolerance, ref worstFloat);
            Check("EvaluateGpu φ", i, gpu.ForceOverR, exact.ForceOverR, phiFloorFloat, FloatTolerance, ref worstFloat);
            Check("EnergyGpu", i, gpu.EnergyOnly, gpu.Energy, uFloorFloat, FloatTolerance, ref worstFloat);
            Check("ForceOverRGpu", i, gpu.ForceOnly, gpu.ForceOverR, phiFloorFloat, FloatTolerance, ref worstFloat);
        }
        AssertPreparedFormsEqualPlain(c, r2);
        AssertPreparedFormsEqualPlain(c, r2f);
        AssertPreparedAdjointEqualsPlain(c, r2);
        AssertPreparedAdjointEqualsPlain(c, r2f);
        worstFloatCheck = worstWhat;
        return (worstDouble, worstFloat);
    }

    /// <summary>The prepared Vector256 EvaluateAdjoint (adjoint lane constants written once) gives the plain form's φ, dφ/ds and ∂φ/∂θ bit for bit.</summary>
    private static void AssertPreparedAdjointEqualsPlain<T>(PotentialCase c, T[] r2) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var n = r2.Length - r2.Length % Vector256<T>.Count;
        var s = r2.AsSpan(0, n).ToArray();
        var np = c.Probe.ParameterCount;
        T[] phi = new T[n], dphi = new T[n], pphi = new T[n], pdphi = new T[n];
        T[][] g = Enumerable.Range(0, np).Select(_ => new T[n]).ToArray(), pg = Enumerable.Range(0, np).Select(_ => new T[n]).ToArray();
        c.Probe.EvaluateAdjointVector(false, c.Theta, s, phi, dphi, g);
        c.Probe.EvaluateAdjointVector(true, c.Theta, s, pphi, pdphi, pg);
        static bool Same(T a, T b) => a.Equals(b) || (T.IsNaN(a) && T.IsNaN(b));
        for (var i = 0; i < n; i++)
        {
            Assert.True(Same(phi[i], pphi[i]), $"{c.Name}: prepared adjoint {typeof(T).Name} φ at r² = {s[i]}: {pphi[i]} vs plain {phi[i]}");
            Assert.True(Same(dphi[i], pdphi[i]), $"{c.Name}: prepared adjoint {typeof(T).Name} dφ/ds at r² = {s[i]}: {pdphi[i]} vs plain {dphi[i]}");
            for (var k = 0; k < np; k++)
                Assert.True(Same(g[k][i], pg[k][i]), $"{c.Name}: prepared adjoint {typeof(T).Name} ∂φ/∂θ{k} at r² = {s[i]}: {pg[k][i]} vs plain {g[k][i]}");
        }
    }

    /// <summary>The prepared Evaluate forms (lane constants written once) give the plain forms' results bit for bit, scalar and SIMD.</summary>
    private static void AssertPreparedFormsEqualPlain<T>(PotentialCase c, T[] r2) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var p = c.Probe;
        var n = r2.Length;
        foreach (var bits in new[] { 1, 256, 512 })
        {
            T[] e = new T[n], f = new T[n], pe = new T[n], pf = new T[n];
            if (bits == 1)
            {
                for (var i = 0; i < n; i++)
                {
                    var (u, phi) = typeof(T) == typeof(float) ? ((double, double))p.EvaluateFloat(c.Theta, float.CreateTruncating(r2[i])) : p.Evaluate(c.Theta, double.CreateTruncating(r2[i]));
                    e[i] = T.CreateTruncating(u);
                    f[i] = T.CreateTruncating(phi);
                }
            }
            else
            {
                p.EvaluateVector(bits, c.Theta, r2, e, f);
            }
            p.EvaluatePrepared(bits, c.Theta, r2, pe, pf);
            for (var i = 0; i < n; i++)
            {
                Assert.True(e[i].Equals(pe[i]) || (T.IsNaN(e[i]) && T.IsNaN(pe[i])), $"{c.Name}: prepared {typeof(T).Name} energy ({bits}) at r² = {r2[i]}: {pe[i]} vs plain {e[i]}");
                Assert.True(f[i].Equals(pf[i]) || (T.IsNaN(f[i]) && T.IsNaN(pf[i])), $"{c.Name}: prepared {typeof(T).Name} φ ({bits}) at r² = {r2[i]}: {pf[i]} vs plain {f[i]}");
            }
        }
    }
}
