using System.Runtime.Intrinsics;
using DiffSim.Forces;
using DiffSim.Potentials;
using DiffSim.Tests.Engine;
using Xunit.Abstractions;

namespace DiffSim.Tests.Neural;

public class HermiteTableTests(ITestOutputHelper output)
{
    private static readonly LennardJones Lj = new(1.0, 1.0);

    private static (double U, double F) MaxError(HermiteTable t, double from, double to)
    {
        double eu = 0, ef = 0;
        for (var r = from; r <= to; r += 1e-4)
        {
            eu = Math.Max(eu, Math.Abs(t.Energy(r) - Lj.Energy(r)));
            ef = Math.Max(ef, Math.Abs(t.Derivative(r) - Lj.Derivative(r)));
        }
        return (eu, ef);
    }

    [Fact]
    public void ReproducesLennardJonesToFourthAndThirdOrder()
    {
        var coarse = HermiteTable.FromFunction(0.9, 2.5, 0.01, Lj.Energy, Lj.Derivative);
        var fine = HermiteTable.FromFunction(0.9, 2.5, 0.005, Lj.Energy, Lj.Derivative);
        Assert.Equal(161, coarse.Count);
        Assert.Equal(2.5, coarse.Cutoff, 12);
        var (uc, fc) = MaxError(coarse, 0.9, 2.4999);
        var (uf, ff) = MaxError(fine, 0.9, 2.4999);
        output.WriteLine($"Δ=0.01: max|du| {uc:E3} max|dF| {fc:E3}; Δ=0.005: {uf:E3} {ff:E3}; ratios {uc / uf:F2} {fc / ff:F2}");
        // Hermite interpolation error: |u − p| ≤ max|u⁗| Δ⁴/384; for LJ at 0.9σ, u⁗ ≈ 131040·0.9⁻¹⁶ ≈ 7.1e5.
        Assert.True(uf < 7.2e5 * Math.Pow(0.005, 4) / 384 * 1.05, $"energy error {uf:E3}");
        Assert.InRange(uc / uf, 14.0, 18.0);   // O(Δ⁴)
        Assert.InRange(fc / ff, 7.0, 9.0);     // O(Δ³)
        // Knots are reproduced exactly, and the table is zero beyond its last knot.
        Assert.Equal(Lj.Energy(1.5), fine.Energy(1.5), 1e-12);
        Assert.Equal(0.0, fine.Energy(2.5 + 1e-9));
        Assert.Equal(0.0, fine.Derivative(2.6));
    }

    [Fact]
    public void TheLastKnotIsTheCutoffAsGivenAndTheExportedGridEndsThere()
    {
        // IBI's grid, its spacing read off two knots: r₀ + 103·(r₁ − r₀) is 2.5000000000000013 in double, the cutoff
        // that the table file's header and pair_coeff hint named.
        var (n, delta) = HermiteTable.Grid(0.445, 2.5, 0.02);
        var knots = Enumerable.Range(0, n).Select(k => HermiteTable.KnotAt(0.445, delta, n, k, 2.5)).ToArray();
        var t = new HermiteTable(knots[0], knots[1] - knots[0], new double[n], new double[n], knots[^1]);
        Assert.Equal(104, t.Count);
        Assert.NotEqual(2.5, t.R0 + (t.Count - 1) * t.Spacing);
        Assert.Equal(2.5, t.Cutoff);
        Assert.Equal(2.5, t.Knot(t.Count - 1));
        // r_min + (r_max − r_min)·499/499 is 1.9179999999999997 here.
        Assert.Equal(1.918, DiffSim.IO.PotentialExport.Grid(0.699, 1.918, 500)[^1]);
        Assert.Throws<ArgumentException>(() => new HermiteTable(0.445, delta, new double[n], new double[n], 2.5 + 1e-9));
    }

    [Fact]
    public void SecondDerivativeIsTheDerivativeOfTheForce()
    {
        var t = HermiteTable.FromFunction(0.9, 2.5, 0.01, Lj.Energy, Lj.Derivative);
        foreach (var r in new[] { 0.9537, 1.1234, 1.7777, 2.3113 })
        {
            const double h = 1e-7;
            var fd = (t.Derivative(r + h) - t.Derivative(r - h)) / (2 * h);
            Assert.Equal(fd, t.SecondDerivative(r), 1e-5 * Math.Abs(fd) + 1e-6);
            var fe = (t.Energy(r + h) - t.Energy(r - h)) / (2 * h);
            Assert.Equal(fe, t.Derivative(r), 1e-6 * Math.Abs(fe) + 1e-7);
        }
    }

    [Fact]
    public void ScalarAndVectorLanesAgree()
    {
        var t = HermiteTable.FromFunction(0.8, 2.5, 0.005, Lj.Energy, Lj.Derivative);
        var rng = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            // Lanes below r0 (first cubic continued), inside, and beyond the cutoff (zero).
            var r2 = new double[8];
            for (var l = 0; l < 8; l++) { var r = 0.7 + 1.9 * rng.NextDouble(); r2[l] = r * r; }
            var v512 = Vector512.Create(r2);
            t.Evaluate(v512, out var e512, out var f512);
            t.Evaluate(Vector256.Create(r2.AsSpan(0, 4)), out var e256, out var f256);
            var v512f = Vector512.Create(r2.Select(v => (float)v).Concat(r2.Select(v => (float)v)).ToArray());
            t.Evaluate(v512f, out var e512f, out var f512f);
            for (var l = 0; l < 8; l++)
            {
                t.Evaluate(r2[l], out double e, out double f);
                Assert.Equal(e, e512[l]);
                Assert.Equal(f, f512[l]);
                if (l < 4) { Assert.Equal(e, e256[l]); Assert.Equal(f, f256[l]); }
                var r = Math.Sqrt(r2[l]);
                if (r < 2.5)
                {
                    Assert.Equal(t.Energy(r), e, 1e-12 * Math.Abs(e) + 1e-14);
                    Assert.Equal(-t.Derivative(r) / r, f, 1e-12 * Math.Abs(f) + 1e-14);
                }
                else Assert.True(e == 0 && f == 0);
                t.Evaluate((float)r2[l], out float es, out float fs);
                Assert.Equal(es, e512f[l]);
                Assert.Equal(fs, f512f[l]);
                Assert.Equal(e, es, 2e-5 * Math.Abs(e) + 1e-5);
                Assert.Equal(f, fs, 2e-5 * Math.Abs(f) + 1e-5);
            }
        }
    }

    [Fact]
    public void PreparedFormsEqualThePlainOnesBitwise()
    {
        var t = HermiteTable.FromFunction(0.8, 2.5, 0.005, Lj.Energy, Lj.Derivative);
        var c = new double[HermiteTable.LaneConstantCount];
        var cf = new float[HermiteTable.LaneConstantCount];
        t.LaneConstants<double>(c);
        t.LaneConstants<float>(cf);
        var c256 = c.Select(Vector256.Create).ToArray();
        var c512 = c.Select(Vector512.Create).ToArray();
        var c512f = cf.Select(Vector512.Create).ToArray();
        var rng = new Random(7);
        for (var trial = 0; trial < 100; trial++)
        {
            var r2 = new double[8];
            for (var l = 0; l < 8; l++) { var r = 0.7 + 1.9 * rng.NextDouble(); r2[l] = r * r; }
            var r2f = r2.Concat(r2).Select(v => (float)v).ToArray();
            t.Evaluate(Vector256.Create(r2.AsSpan(0, 4)), out var e256, out var f256);
            t.Evaluate(Vector256.Create(r2.AsSpan(0, 4)), in c256[0], out var pe256, out var pf256);
            t.Evaluate(Vector512.Create(r2), out var e512, out var f512);
            t.Evaluate(Vector512.Create(r2), in c512[0], out var pe512, out var pf512);
            t.Evaluate(Vector512.Create(r2f), out var e512f, out var f512f);
            t.Evaluate(Vector512.Create(r2f), in c512f[0], out var pe512f, out var pf512f);
            Assert.Equal((e256, f256), (pe256, pf256));
            Assert.Equal((e512, f512), (pe512, pf512));
            Assert.Equal((e512f, f512f), (pe512f, pf512f));
            t.Evaluate(r2[0], out double e, out double f);
            t.Evaluate(r2[0], in c[0], out double pe, out double pf);
            Assert.Equal((e, f), (pe, pf));
            t.Evaluate(r2f[0], out float es, out float fs);
            t.Evaluate(r2f[0], in cf[0], out float pes, out float pfs);
            Assert.Equal((es, fs), (pes, pfs));
        }
    }

    [Fact]
    public void KernelPathsGiveTheSameForces()
    {
        var t = HermiteTable.FromFunction(0.8, 2.5, 0.005, Lj.Energy, Lj.Derivative);
        var reference = TestSystems.LjFcc(4, 0.84, 1.0, seed: 3);
        TestSystems.Jiggle(reference, 0.05, 1);
        var lj = TestSystems.Lj(cutoff: 2.5, path: KernelPath.Scalar).Compute(reference.Clone());
        var results = new List<(ForceResult R, double[] Fx)>();
        foreach (var path in new[] { KernelPath.Scalar, KernelPath.Vector256, KernelPath.Vector512 })
        {
            var s = reference.Clone();
            var r = new PairForceField<HermiteTable>(PairTable<HermiteTable>.Single(t, 2.5, false), 0.3, Precision.Double, path).Compute(s);
            results.Add((r, s.Fx.ToArray()));
        }
        Assert.Equal(lj.Energy, results[0].R.Energy, 1e-6 * Math.Abs(lj.Energy));
        for (var p = 1; p < results.Count; p++)
        {
            Assert.Equal(results[0].R.Energy, results[p].R.Energy, 1e-10 * Math.Abs(lj.Energy));
            for (var i = 0; i < reference.Count; i++) Assert.Equal(results[0].Fx[i], results[p].Fx[i], 1e-10);
        }
    }
}
