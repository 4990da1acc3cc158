namespace DiffSim.Systems;

/// <summary>A particle species: its name as used in configs and output column names, and its mass (mass units).</summary>
public sealed record ParticleType(string Name, double Mass)
{
    public static ParticleType Default { get; } = new("A", 1.0);
}
