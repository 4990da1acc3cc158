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
        const int width = 4;
        var count = pairs.Count;
        ref var px = ref MemoryMarshal.GetReference(pairs.Dx);
        ref var py = ref MemoryMarshal.GetReference(pairs.Dy);
        ref var pz = ref MemoryMarshal.GetReference(pairs.Dz);
        var rc2 = cutoff * cutoff;
        var k = 0;
        double energy = 0, virial = 0;
        var inCutoff = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var rc2v = Vector256.Create(rc2);
            Vector256<double> u = default, w = default;
            for (; k + width <= count; k += width)
            {
                var dx = Vector256.LoadUnsafe(ref px, (nuint)k);
                var dy = Vector256.LoadUnsafe(ref py, (nuint)k);
                var dz = Vector256.LoadUnsafe(ref pz, (nuint)k);
                var s = dx * dx + dy * dy + dz * dz;
                var inside = Vector256.LessThan(s, rc2v);
                var lanes = inside.ExtractMostSignificantBits();
                if (lanes == 0) continue;
                potential.Evaluate(Vector256.ConditionalSelect(inside, s, rc2v), out var uk, out var phi);
                u += uk & inside;
                w += (phi * s) & inside;
                inCutoff += BitOperations.PopCount(lanes);
            }
            energy = Vector256.Sum(u);
            virial = Vector256.Sum(w);
        }
        // The remainder (and every pair without SIMD), one pair at a time.
        for (; k < count; k++)
        {
            double dx = Unsafe.Add(ref px, k), dy = Unsafe.Add(ref py, k), dz = Unsafe.Add(ref pz, k);
            var s = dx * dx + dy * dy + dz * dz;
            if (s >= rc2) continue;
            potential.Evaluate(s, out var uk, out var phi);
            energy += uk;
            virial += phi * s;
            inCutoff++;
        }
        return new ForceResult(energy - inCutoff * shift, virial);
    }
}
