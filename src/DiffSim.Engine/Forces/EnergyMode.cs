namespace DiffSim.Forces;

/// <summary>
/// Whether a kernel instantiation sums the energy and virial or computes forces alone (LAMMPS' eflag and vflag): the
/// integrators need only forces, so most steps skip the potential's energy, the masked sums and the pair count,
/// which also frees the registers they hold in the loop.
/// </summary>
internal interface IEnergyMode
{
    static abstract bool Energy { get; }
}

internal struct WithEnergy : IEnergyMode
{
    public static bool Energy => true;
}

internal struct ForcesOnly : IEnergyMode
{
    public static bool Energy => false;
}
