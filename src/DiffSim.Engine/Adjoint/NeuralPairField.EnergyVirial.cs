using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// U and W of the network through its tables: the tables accumulate ∂/∂(y_k, m_k), and <see cref="FinishGradient"/>
/// carries that to the weights with the forces' part, once per window.
/// </summary>
public sealed partial class NeuralPairField : IDifferentiableEnergyVirial, IEnergyVirialFromPairs
{
    public ForceResult EnergyAndVirial(State state) => Tables.EnergyAndVirial(state);

    public void EnergyAndVirialBackward(State state, double energyWeight, double virialWeight, PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
        => Tables.EnergyAndVirialBackward(state, energyWeight, virialWeight, positionAdjoint, accumulator);

    ForceResult IEnergyVirialFromPairs.EnergyVirialPass(PairSearch pairs, State state, double a, double b, PhaseSpaceGradient? adjoint, Span<double> accumulator)
        => ((IEnergyVirialFromPairs)Tables).EnergyVirialPass(pairs, state, a, b, adjoint, accumulator);
}
