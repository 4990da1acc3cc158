using System.Runtime.Intrinsics;
using DiffSim.Potentials;

namespace DiffSim.Tests.Generators;

/// <summary>
/// The generated reverse-pass terms (φ, dφ/ds, ∂φ/∂θ in s = r²) against the same quantities built from the generated
/// r-based members, which the finite-difference tests already check: −u'/r, −(u'' − u'/r)/(2s), −(∂u'/∂θ)/r.
/// </summary>
public class AdjointFormTests
{
    private static void Check<TP>(double[] theta, double rMin, double rMax, double kink = double.NaN) where TP : struct, IPairPotential<TP>
    {
        var p = TP.FromParameters(theta);
        var np = TP.ParameterCount;
        var grad = new double[np];
        var reference = new double[np];
        for (var k = 0; k <= 200; k++)
        {
            var r = rMin + (rMax - rMin) * k / 200.0;
            if (Math.Abs(r - kink) < 1e-3) continue;
            var s = r * r;
            p.EvaluateAdjoint(s, out var phi, out var dphids, grad);
            var du = p.Derivative(r);
            var expectedPhi = -du / r;
            var expectedDphids = -(p.SecondDerivative(r) - du / r) / (2 * s);
            p.ParameterGradientOfDerivative(r, reference);
            Close(expectedPhi, phi, $"{typeof(TP).Name} φ at r = {r}");
            Close(expectedDphids, dphids, $"{typeof(TP).Name} dφ/ds at r = {r}");
            for (var q = 0; q < np; q++) Close(-reference[q] / r, grad[q], $"{typeof(TP).Name} ∂φ/∂θ{q} at r = {r}");
        }
        CheckLanes(p, rMin, rMax);
    }

    /// <summary>The Vector256 form, lane by lane, against the scalar form (same expressions, so to rounding).</summary>
    private static void CheckLanes<TP>(TP p, double rMin, double rMax) where TP : struct, IPairPotential<TP>
    {
        var np = TP.ParameterCount;
        var grad = new double[np];
        var lanes = new Vector256<double>[np];
        for (var k = 0; k < 200; k += 4)
        {
            var s = Vector256.Create(0.0, 1.0, 2.0, 3.0) * ((rMax - rMin) / 200) + Vector256.Create(rMin + (rMax - rMin) * k / 200.0);
            s *= s;
            p.EvaluateAdjoint(s, out var phi, out var dphids, lanes);
            for (var lane = 0; lane < 4; lane++)
            {
                p.EvaluateAdjoint(s[lane], out var phi1, out var dphids1, grad);
                Lane(phi1, phi[lane], $"{typeof(TP).Name} φ lane {lane}");
                Lane(dphids1, dphids[lane], $"{typeof(TP).Name} dφ/ds lane {lane}");
                for (var q = 0; q < np; q++) Lane(grad[q], lanes[q][lane], $"{typeof(TP).Name} ∂φ/∂θ{q} lane {lane}");
            }
        }
    }

    private static void Lane(double expected, double actual, string what)
        => Assert.True(Math.Abs(actual - expected) <= 1e-13 * Math.Max(1, Math.Abs(expected)), $"{what}: {actual:R} vs {expected:R}");

    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(actual - expected) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"{what}: {actual:R} vs {expected:R}");

    /// <summary>The reverse pass reads Lennard-Jones's parameter-only terms prepared (the bit-for-bit check of that form runs with the kernel forms' checks).</summary>
    [Fact]
    public void LennardJonesAdjointHasPreparedConstants() => Assert.True(LennardJones.AdjointLaneConstantCount > 0);

    [Fact]
    public void GeneratedReverseTermsMatchTheirDefinitions()
    {
        Check<LennardJones>([1.3, 0.9], 0.75, 3.0);
        Check<Mie>([1.1, 1.05, 13.5, 6.2], 0.9, 3.5);
        Check<Morse>([0.8, 1.7, 1.2], 0.6, 4.0);
        Check<Yukawa>([2.5, 0.8], 0.3, 6.0);
        Check<WeeksChandlerAndersen>([1.2, 1.0], 0.8, 2.0, 1.122462048309373);
        Check<Buckingham>([1000.0, 0.3, 2.0], 0.6, 4.0);
        Check<SoftRepulsion>([0.7, 1.1], 0.7, 3.0);
        Check<GaussianCore>([2.0, 0.8], 0.05, 3.0);
    }
}
