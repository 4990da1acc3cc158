namespace DiffSim.Forces;

/// <summary>
/// Whether a kernel instantiation also writes the pruned list (<see cref="HalfListInput{T, TPotential}.Pruned"/>):
/// the steps that evaluate from the full list already have every entry's r², so the prune costs a compare and a
/// compress store per vector, not a pass of its own (GROMACS' dynamic pruning, fused).
/// </summary>
internal interface IPruneMode
{
    static abstract bool Prune { get; }
}

internal struct Pruning : IPruneMode
{
    public static bool Prune => true;
}

internal struct NoPruning : IPruneMode
{
    public static bool Prune => false;
}
