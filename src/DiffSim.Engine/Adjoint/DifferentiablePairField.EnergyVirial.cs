using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>U and W of an analytic potential and their reverse pass (see <see cref="IDifferentiableEnergyVirial"/>).</summary>
/// <remarks>
/// The pair terms come from the potential's EvaluateAdjoint (φ, dφ/ds, ∂φ/∂θ, generated in s) and its r-based Energy
/// and ParameterGradient (∂u/∂θ). The pairs are searched afresh on every call (<see cref="PairSearch"/>, no skin):
/// the sums' order then depends only on the positions, so a resumed training run repeats the uninterrupted one bit
/// for bit.
/// </remarks>
public sealed partial class DifferentiablePairField<TPotential> : IDifferentiableEnergyVirial
{
    private PairSearch? _energyVirialPairs;

    public ForceResult EnergyAndVirial(State state) => EnergyVirialPass(state, 0, 0, null, []);

    public void EnergyAndVirialBackward(State state, double energyWeight, double virialWeight, PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
        => EnergyVirialPass(state, energyWeight, virialWeight, positionAdjoint, accumulator);

    private ForceResult EnergyVirialPass(State state, double a, double b, PhaseSpaceGradient? adjoint, Span<double> accumulator)
    {
        var pairs = _energyVirialPairs ??= new PairSearch();
        pairs.Collect(state, Forward.MaxCutoff);
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        var type = state.TypeOf;
        var pi = pairs.I; var pj = pairs.J;
        var px = pairs.Dx; var py = pairs.Dy; var pz = pairs.Dz;
        Span<double> dphi = stackalloc double[np];
        Span<double> du = stackalloc double[np];
        Span<double> duCut = stackalloc double[np];
        double energy = 0, virial = 0;
        for (var k = 0; k < pairs.Count; k++)
        {
            int i = pi[k], j = pj[k];
            var pair = type[i] * nt + type[j];
            var rc = table.Cutoffs[pair];
            double dx = px[k], dy = py[k], dz = pz[k];
            var s = dx * dx + dy * dy + dz * dz;
            if (s >= rc * rc) continue;
            ref readonly var potential = ref table.Potentials[pair];
            potential.EvaluateAdjoint(s, out var phi, out var dphids, dphi);
            var r = Math.Sqrt(s);
            energy += potential.Energy(r) - table.Shifts[pair];
            virial += phi * s;
            if (adjoint is null) continue;

            var c = -a * phi + 2 * b * (phi + s * dphids);
            adjoint.X[i] += c * dx; adjoint.Y[i] += c * dy; adjoint.Z[i] += c * dz;
            adjoint.X[j] -= c * dx; adjoint.Y[j] -= c * dy; adjoint.Z[j] -= c * dz;
            if (np == 0) continue;
            potential.ParameterGradient(r, du);
            if (_shift) potential.ParameterGradient(rc, duCut);
            var grad = accumulator.Slice(_pairSlot[pair] * np, np);
            for (var p = 0; p < np; p++) grad[p] += a * (du[p] - (_shift ? duCut[p] : 0)) + b * s * dphi[p];
        }
        return new ForceResult(energy, virial);
    }
}
