namespace DiffSim.Forces;

/// <summary>Whether a kernel instantiation handles one particle type or several: with one, the JIT drops the type loop and the parameters become loop invariants.</summary>
internal interface ITypeMode
{
    static abstract bool Many { get; }
}

internal struct OneType : ITypeMode
{
    public static bool Many => false;
}

internal struct ManyTypes : ITypeMode
{
    public static bool Many => true;
}
