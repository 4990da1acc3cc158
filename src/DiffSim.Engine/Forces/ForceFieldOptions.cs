namespace DiffSim.Forces;

/// <summary>How a force field is evaluated: neighbour skin (length units), precision, SIMD path and thread count.</summary>
public sealed record ForceFieldOptions
{
    public double Skin { get; init; } = 0.3;
    public bool Shift { get; init; }
    public Precision Precision { get; init; } = Precision.Double;
    public KernelPath Path { get; init; } = KernelPath.Auto;
    public int Threads { get; init; } = 1;
}
