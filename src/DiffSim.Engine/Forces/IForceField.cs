using DiffSim.Systems;

namespace DiffSim.Forces;

/// <summary>Computes forces on every particle of a state; owns whatever neighbour bookkeeping it needs.</summary>
public interface IForceField
{
    /// <summary>Writes the forces into <see cref="State.Fx"/>, <see cref="State.Fy"/>, <see cref="State.Fz"/> and returns energy and virial.</summary>
    ForceResult Compute(State state);

    /// <summary>
    /// Writes the same forces as <see cref="Compute"/> without computing the energy and virial, for steps whose
    /// energy nobody reads (LAMMPS' eflag = vflag = 0); returns whether every force is finite, the divergence check of
    /// such steps. The default computes everything and checks the energy and virial.
    /// </summary>
    bool ComputeForces(State state)
    {
        var result = Compute(state);
        return double.IsFinite(result.Energy) && double.IsFinite(result.Virial);
    }

    /// <summary>Largest interaction range (length units).</summary>
    double MaxCutoff { get; }

    /// <summary>Number of neighbour-list builds so far.</summary>
    int ListBuilds { get; }
}
