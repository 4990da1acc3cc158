using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffSim.Forces;
using DiffSim.Potentials;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// U = Σ u and W = Σ φ s over a search's pairs within their type pair's cutoff, and their reverse pass (see
/// <see cref="IDifferentiableEnergyVirial"/>): the loop of every field, the per-pair terms the field's
/// (<see cref="IEnergyVirialPairTerms"/>).
/// </summary>
/// <remarks>
/// The search may reach further than the cutoffs (an RDF frame's pairs), so every pair is tested against its own.
/// The sums run in the search's order, which depends only on the positions and the search's range.
/// </remarks>
internal static class EnergyVirialPairLoop
{
    private const int Width = 4;

    /// <summary>
    /// U and W; with an <paramref name="adjoint"/>, also adds a ∂U/∂x + b ∂W/∂x to it and a ∂U/∂ψ + b ∂W/∂ψ to the
    /// accumulator.
    /// </summary>
    public static ForceResult Run<TTerms>(ref TTerms terms, PairSearch pairs, State state, int typeCount, double[] cutoffs,
        double a, double b, PhaseSpaceGradient? adjoint, Span<double> accumulator) where TTerms : struct, IEnergyVirialPairTerms
    {
        var type = state.TypeOf;
        var pi = pairs.I; var pj = pairs.J;
        var px = pairs.Dx; var py = pairs.Dy; var pz = pairs.Dz; var pr = pairs.R;
        double energy = 0, virial = 0;
        for (var k = 0; k < pairs.Count; k++)
        {
            int i = pi[k], j = pj[k];
            var pair = type[i] * typeCount + type[j];
            var rc = cutoffs[pair];
            double dx = px[k], dy = py[k], dz = pz[k];
            var s = dx * dx + dy * dy + dz * dz;
            if (s >= rc * rc) continue;
            var r = pr[k];
            if (!terms.Evaluate(pair, s, r, out var u, out var phi, out var dphids)) continue;
            energy += u;
            virial += phi * s;
            if (adjoint is null) continue;

            // ∂U/∂xᵢ = −φ d, ∂W/∂xᵢ = 2(φ + s dφ/ds) d, and the opposite for j.
            var c = -a * phi + 2 * b * (phi + s * dphids);
            adjoint.X[i] += c * dx; adjoint.Y[i] += c * dy; adjoint.Z[i] += c * dz;
            adjoint.X[j] -= c * dx; adjoint.Y[j] -= c * dy; adjoint.Z[j] -= c * dz;
            terms.AddParameterGradient(pair, s, r, a, b, accumulator);
        }
        return new ForceResult(energy, virial);
    }

    /// <summary>
    /// U and W alone of one analytic type pair (u − <paramref name="shift"/>), four pairs a vector through the
    /// potential's kernel form; lanes at or beyond the cutoff are evaluated at r_c, as the force kernel does, and
    /// masked out. The frames of a pressure or energy loss need these sums, not the per-pair terms of the reverse pass.
    /// </summary>
    public static ForceResult Sums<TPotential>(in TPotential potential, double shift, double cutoff, PairSearch pairs)
        where TPotential : struct, IPairPotential<TPotential>
    {
        var rc2 = Vector256.Create(cutoff * cutoff);
        Vector256<double> u = default, w = default;
        var inCutoff = 0;
        for (var k = 0; k < pairs.Count; k += Width)
        {
            var s = Separations(pairs, k, cutoff, out _, out _, out _);
            var inside = Vector256.LessThan(s, rc2);
            var lanes = inside.ExtractMostSignificantBits();
            if (lanes == 0) continue;
            potential.Evaluate(Vector256.ConditionalSelect(inside, s, rc2), out var uk, out var phi);
            u += uk & inside;
            w += (phi * s) & inside;
            inCutoff += BitOperations.PopCount(lanes);
        }
        return new ForceResult(Vector256.Sum(u) - inCutoff * shift, Vector256.Sum(w));
    }

    /// <summary>
    /// <see cref="Run"/> with an adjoint for one analytic type pair, four pairs a vector: φ, dφ/ds and ∂φ/∂θ from the
    /// generated EvaluateAdjoint, the position terms scattered lane by lane, and ∂u/∂θ (needed only when
    /// <paramref name="a"/> ≠ 0) from the scalar ParameterGradient of each lane inside the cutoff. With
    /// <paramref name="shifted"/>, u(r_c) is subtracted from every pair inside, and so is its gradient.
    /// </summary>
    public static void Backward<TPotential>(in TPotential potential, bool shifted, double cutoff, PairSearch pairs,
        double a, double b, PhaseSpaceGradient adjoint, Span<double> accumulator)
        where TPotential : struct, IPairPotential<TPotential>
    {
        var np = TPotential.ParameterCount;
        ReadOnlySpan<int> pi = pairs.I, pj = pairs.J;
        ReadOnlySpan<double> pr = pairs.R;
        double[] ax = adjoint.X, ay = adjoint.Y, az = adjoint.Z;
        Span<Vector256<double>> dphi = stackalloc Vector256<double>[np];
        Span<Vector256<double>> sdphi = stackalloc Vector256<double>[np];
        sdphi.Clear();
        Span<double> du = stackalloc double[np];
        Span<double> duSum = stackalloc double[np];
        duSum.Clear();
        var rc2 = Vector256.Create(cutoff * cutoff);
        var (av, bv) = (Vector256.Create(a), Vector256.Create(2 * b));
        var inCutoff = 0;
        for (var k = 0; k < pairs.Count; k += Width)
        {
            var s = Separations(pairs, k, cutoff, out var dx, out var dy, out var dz);
            var inside = Vector256.LessThan(s, rc2);
            var lanes = inside.ExtractMostSignificantBits();
            if (lanes == 0) continue;
            potential.EvaluateAdjoint(Vector256.ConditionalSelect(inside, s, rc2), out var phi, out var dphids, dphi);
            // ∂U/∂xᵢ = −φ d, ∂W/∂xᵢ = 2(φ + s dφ/ds) d, and the opposite for j.
            var c = (bv * (phi + s * dphids) - av * phi) & inside;
            var (tx, ty, tz) = (c * dx, c * dy, c * dz);
            for (var p = 0; p < np; p++) sdphi[p] += (s * dphi[p]) & inside;
            for (var lane = 0; lane < Width; lane++)
            {
                if ((lanes >> lane & 1) == 0) continue;
                int i = pi[k + lane], j = pj[k + lane];
                ax[i] += tx[lane]; ay[i] += ty[lane]; az[i] += tz[lane];
                ax[j] -= tx[lane]; ay[j] -= ty[lane]; az[j] -= tz[lane];
                if (a == 0) continue;
                potential.ParameterGradient(pr[k + lane], du);
                for (var p = 0; p < np; p++) duSum[p] += du[p];
                inCutoff++;
            }
        }
        if (shifted && a != 0) potential.ParameterGradient(cutoff, du);
        for (var p = 0; p < np; p++)
            accumulator[p] += a * (duSum[p] - (shifted ? inCutoff * du[p] : 0)) + b * Vector256.Sum(sdphi[p]);
    }

    /// <summary>
    /// The separations of pairs k to k + 3 and their r²; past the last pair, lanes hold (<paramref name="far"/>, 0, 0),
    /// at or beyond every cutoff, so the remainder is one more masked vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Separations(PairSearch pairs, int k, double far, out Vector256<double> dx, out Vector256<double> dy, out Vector256<double> dz)
    {
        if (k + Width <= pairs.Count)
        {
            dx = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(pairs.Dx), (nuint)k);
            dy = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(pairs.Dy), (nuint)k);
            dz = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(pairs.Dz), (nuint)k);
        }
        else Tail(pairs, k, far, out dx, out dy, out dz);
        return dx * dx + dy * dy + dz * dz;
    }

    // Apart from Separations, whose stack buffer would keep it from being inlined into the loops.
    private static void Tail(PairSearch pairs, int k, double far, out Vector256<double> dx, out Vector256<double> dy, out Vector256<double> dz)
    {
        Span<double> tail = stackalloc double[3 * Width];
        tail.Clear();
        tail[..Width].Fill(far);
        pairs.Dx[k..].CopyTo(tail); pairs.Dy[k..].CopyTo(tail[Width..]); pairs.Dz[k..].CopyTo(tail[(2 * Width)..]);
        dx = Vector256.Create<double>(tail[..Width]);
        dy = Vector256.Create<double>(tail.Slice(Width, Width));
        dz = Vector256.Create<double>(tail.Slice(2 * Width, Width));
    }
}
