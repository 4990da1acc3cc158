using DiffSim.Forces;
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
}
