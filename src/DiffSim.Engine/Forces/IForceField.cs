using DiffSim.Systems;

namespace DiffSim.Forces;

/// <summary>Computes forces on every particle of a state; owns whatever neighbour bookkeeping it needs.</summary>
public interface IForceField
{
    /// <summary>Writes the forces into <see cref="State.Fx"/>, <see cref="State.Fy"/>, <see cref="State.Fz"/> and returns energy and virial.</summary>
    ForceResult Compute(State state);

    /// <summary>Largest interaction range (length units).</summary>
    double MaxCutoff { get; }

    /// <summary>Number of neighbour-list builds so far.</summary>
    int ListBuilds { get; }
}
