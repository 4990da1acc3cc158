using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>U and W of the tables and their reverse pass (see <see cref="IDifferentiableEnergyVirial"/>).</summary>
/// <remarks>
/// With ψ the knot values and slopes of the interval holding r: ∂U/∂ψ is the Hermite basis
/// (<see cref="Potentials.HermiteTable.EnergyWeights"/>), and ∂W/∂ψ = s ∂φ/∂ψ = −r ∂u'/∂ψ
/// (<see cref="Potentials.HermiteTable.DerivativeJet(double, out int, out double, out double, out Potentials.KnotWeights)"/>). Trainable tables are never shifted. The pairs are
/// searched afresh on every call (<see cref="PairSearch"/>), so the sums' order depends only on the positions.
/// </remarks>
public sealed partial class DifferentiableTableField : IDifferentiableEnergyVirial
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
        var type = state.TypeOf;
        var pi = pairs.I; var pj = pairs.J;
        var px = pairs.Dx; var py = pairs.Dy; var pz = pairs.Dz;
        double energy = 0, virial = 0;
        for (var q = 0; q < pairs.Count; q++)
        {
            int i = pi[q], j = pj[q];
            var pair = type[i] * nt + type[j];
            var rc = table.Cutoffs[pair];
            double dx = px[q], dy = py[q], dz = pz[q];
            var s = dx * dx + dy * dy + dz * dz;
            if (s >= rc * rc) continue;
            var pot = table.Potentials[pair];
            var r = Math.Sqrt(s);
            if (!pot.DerivativeJet(r, out var k, out var du, out var d2u, out var slope)) continue;
            var phi = -du / r;
            energy += pot.Energy(r);
            virial += phi * s;
            if (adjoint is null) continue;

            var dphids = -(d2u - du / r) / (2 * s);
            var c = -a * phi + 2 * b * (phi + s * dphids);
            adjoint.X[i] += c * dx; adjoint.Y[i] += c * dy; adjoint.Z[i] += c * dz;
            adjoint.X[j] -= c * dx; adjoint.Y[j] -= c * dy; adjoint.Z[j] -= c * dz;
            pot.EnergyWeights(r, out _, out var value);
            var slot = _pairSlot[pair];
            var n = pot.Count;
            var gy = accumulator.Slice(_slotOffset[slot], n);
            var gm = accumulator.Slice(_slotOffset[slot] + n, n);
            var br = b * r;
            gy[k] += a * value.Value0 - br * slope.Value0;
            gm[k] += a * value.Slope0 - br * slope.Slope0;
            gy[k + 1] += a * value.Value1 - br * slope.Value1;
            gm[k + 1] += a * value.Slope1 - br * slope.Slope1;
        }
        return new ForceResult(energy, virial);
    }
}
