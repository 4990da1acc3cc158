using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// The pairs of a field's public U and W members (<see cref="IDifferentiableEnergyVirial"/>), searched afresh on every
/// call (<see cref="PairSearch"/>, no skin): the sums' order then depends only on the positions, so a resumed training
/// run repeats the uninterrupted one bit for bit. Observables that hold a frame's pairs call the field directly.
/// </summary>
internal sealed class EnergyVirialSearch
{
    private readonly PairSearch _pairs = new();

    /// <summary><see cref="IEnergyVirialFromPairs.EnergyVirialPass"/> over the pairs of <paramref name="state"/>, searched to the field's cutoff.</summary>
    public ForceResult Pass(IEnergyVirialFromPairs field, State state, double a, double b, PhaseSpaceGradient? adjoint, Span<double> accumulator)
    {
        _pairs.Collect(state, field.MaxCutoff);
        return field.EnergyVirialPass(_pairs, state, a, b, adjoint, accumulator);
    }
}
