using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>U and W of an analytic potential and their reverse pass (see <see cref="IDifferentiableEnergyVirial"/>).</summary>
/// <remarks>
/// The pair terms come from the potential's EvaluateAdjoint (φ, dφ/ds, ∂φ/∂θ, generated in s) and its r-based Energy
/// and ParameterGradient (∂u/∂θ), over <see cref="EnergyVirialPairLoop"/>. The public members search
/// the pairs afresh on every call (<see cref="EnergyVirialSearch"/>).
/// </remarks>
public sealed partial class DifferentiablePairField<TPotential> : IDifferentiableEnergyVirial, IEnergyVirialFromPairs
{
    private readonly double[] _dphi = new double[TPotential.ParameterCount];
    private readonly double[] _du = new double[TPotential.ParameterCount];
    private readonly double[] _duCut = new double[TPotential.ParameterCount];
    private readonly EnergyVirialSearch _energyVirialSearch = new();

    public ForceResult EnergyAndVirial(State state) => _energyVirialSearch.Pass(this, state, 0, 0, null, []);

    public void EnergyAndVirialBackward(State state, double energyWeight, double virialWeight, PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
        => _energyVirialSearch.Pass(this, state, energyWeight, virialWeight, positionAdjoint, accumulator);

    ForceResult IEnergyVirialFromPairs.EnergyVirialPass(PairSearch pairs, State state, double a, double b, PhaseSpaceGradient? adjoint, Span<double> accumulator)
    {
        var table = Forward.Table;
        if (table.TypeCount == 1)
        {
            var sums = EnergyVirialPairLoop.Sums(in table.Potentials[0], table.Shifts[0], table.Cutoffs[0], pairs);
            if (adjoint is not null) EnergyVirialPairLoop.Backward(in table.Potentials[0], _shift, table.Cutoffs[0], pairs, a, b, adjoint, accumulator[..TPotential.ParameterCount]);
            return sums;
        }
        var terms = new EnergyVirialTerms(Forward.Table, _shift, _pairSlot, _dphi, _du, _duCut);
        return EnergyVirialPairLoop.Run(ref terms, pairs, state, Forward.Table.TypeCount, Forward.Table.Cutoffs, a, b, adjoint, accumulator);
    }

    /// <summary>A pair's u − u(r_c) (when shifted), φ and dφ/ds, and a ∂u/∂θ + b s ∂φ/∂θ (∂φ/∂θ kept from the evaluation).</summary>
    private readonly struct EnergyVirialTerms(PairTable<TPotential> table, bool shift, int[] pairSlot, double[] dphi, double[] du, double[] duCut)
        : IEnergyVirialPairTerms
    {
        public bool Evaluate(int pair, double s, double r, out double energy, out double phi, out double dphids)
        {
            ref readonly var potential = ref table.Potentials[pair];
            potential.EvaluateAdjoint(s, out phi, out dphids, dphi);
            // u from the kernels' form in s: the declared Energy(r) may be written with powers (Math.Pow for LJ).
            potential.Evaluate(s, out energy, out _);
            energy -= table.Shifts[pair];
            return true;
        }

        public void AddParameterGradient(int pair, double s, double r, double a, double b, Span<double> accumulator)
        {
            var np = TPotential.ParameterCount;
            if (np == 0) return;
            ref readonly var potential = ref table.Potentials[pair];
            potential.ParameterGradient(r, du);
            if (shift) potential.ParameterGradient(table.Cutoffs[pair], duCut);
            var grad = accumulator.Slice(pairSlot[pair] * np, np);
            for (var p = 0; p < np; p++) grad[p] += a * (du[p] - (shift ? duCut[p] : 0)) + b * s * dphi[p];
        }
    }
}
