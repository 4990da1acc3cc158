using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// A field whose U and W, and their reverse pass, run over pairs its caller found (<see cref="EnergyVirialPairLoop"/>):
/// an observable that holds a frame's pairs already, or searches once for both passes, spares the field a search.
/// </summary>
internal interface IEnergyVirialFromPairs
{
    /// <summary>The longest cutoff: the pairs handed in must have been searched at least this far.</summary>
    double MaxCutoff { get; }

    /// <summary>
    /// U and W over <paramref name="pairs"/> (found at <paramref name="state"/>'s positions); with an
    /// <paramref name="adjoint"/>, as <see cref="IDifferentiableEnergyVirial.EnergyAndVirialBackward"/> with weights
    /// a and b as well.
    /// </summary>
    ForceResult EnergyVirialPass(PairSearch pairs, State state, double a, double b, PhaseSpaceGradient? adjoint, Span<double> accumulator);
}
