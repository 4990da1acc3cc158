using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>U and W of the tables and their reverse pass (see <see cref="IDifferentiableEnergyVirial"/>).</summary>
/// <remarks>
/// With ψ the knot values and slopes of the interval holding r: ∂U/∂ψ is the Hermite basis, and
/// ∂W/∂ψ = s ∂φ/∂ψ = −r ∂u'/∂ψ; <see cref="HermiteTable.EnergyJet"/> gives u, its derivatives and both sets of knot
/// weights from one lookup, over
/// <see cref="EnergyVirialPairLoop"/>. Trainable tables are never shifted. The public members search
/// the pairs afresh on every call (<see cref="EnergyVirialSearch"/>).
/// </remarks>
public sealed partial class DifferentiableTableField : IDifferentiableEnergyVirial, IEnergyVirialFromPairs
{
    private readonly EnergyVirialSearch _energyVirialSearch = new();

    public ForceResult EnergyAndVirial(State state) => _energyVirialSearch.Pass(this, state, 0, 0, null, []);

    public void EnergyAndVirialBackward(State state, double energyWeight, double virialWeight, PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
        => _energyVirialSearch.Pass(this, state, energyWeight, virialWeight, positionAdjoint, accumulator);

    ForceResult IEnergyVirialFromPairs.EnergyVirialPass(PairSearch pairs, State state, double a, double b, PhaseSpaceGradient? adjoint, Span<double> accumulator)
    {
        // The sums alone (the frames of a pressure or energy loss) through the tables' kernel form, four pairs a vector.
        if (adjoint is null && Forward.Table.TypeCount == 1) return EnergyVirialPairLoop.Sums(in Forward.Table.Potentials[0], 0, Forward.Table.Cutoffs[0], pairs);
        var terms = new EnergyVirialTerms(Forward.Table, _pairSlot, _slotOffset);
        return EnergyVirialPairLoop.Run(ref terms, pairs, state, Forward.Table.TypeCount, Forward.Table.Cutoffs, a, b, adjoint, accumulator);
    }

    /// <summary>A pair's u, φ and dφ/ds from the table's jet, whose interval and knot weights it keeps for the knot gradient.</summary>
    private struct EnergyVirialTerms(PairTable<HermiteTable> table, int[] pairSlot, int[] slotOffset) : IEnergyVirialPairTerms
    {
        private int _interval;
        private KnotWeights _value, _slope;

        public bool Evaluate(int pair, double s, double r, out double energy, out double phi, out double dphids)
        {
            if (!table.Potentials[pair].EnergyJet(r, out _interval, out energy, out var du, out var d2u, out _value, out _slope))
            {
                phi = dphids = 0;
                return false;
            }
            phi = -du / r;
            dphids = -(d2u - du / r) / (2 * s);
            return true;
        }

        public void AddParameterGradient(int pair, double s, double r, double a, double b, Span<double> accumulator)
        {
            var value = _value;
            var slot = pairSlot[pair];
            var n = table.Potentials[pair].Count;
            var gy = accumulator.Slice(slotOffset[slot], n);
            var gm = accumulator.Slice(slotOffset[slot] + n, n);
            var br = b * r;
            var k = _interval;
            gy[k] += a * value.Value0 - br * _slope.Value0;
            gm[k] += a * value.Slope0 - br * _slope.Slope0;
            gy[k + 1] += a * value.Value1 - br * _slope.Value1;
            gm[k + 1] += a * value.Slope1 - br * _slope.Slope1;
        }
    }
}
