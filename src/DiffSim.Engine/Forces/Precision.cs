namespace DiffSim.Forces;

/// <summary>Arithmetic precision of the pair kernels. Integration and all sums are in double either way.</summary>
public enum Precision
{
    Double,
    Float,
}
