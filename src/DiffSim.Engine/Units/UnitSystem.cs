namespace DiffSim;

/// <summary>
/// Unit systems as LAMMPS defines them (<c>units lj</c> and <c>units real</c>); every conversion factor of the engine lives here.
/// </summary>
/// <remarks>
/// lj: reduced units, ε = σ = m = k_B = 1; time in τ = σ√(m/ε), pressure in ε/σ³.
/// real: length Å, time fs, energy kcal/mol, mass g/mol, temperature K, pressure atm.
/// </remarks>
public sealed record UnitSystem
{
    /// <summary>Name as written in configs: "lj" or "real".</summary>
    public required string Name { get; init; }

    /// <summary>Boltzmann constant in energy per temperature.</summary>
    public required double Boltzmann { get; init; }

    /// <summary>Converts m·v² (mass × velocity²) to energy units.</summary>
    public required double MvvToEnergy { get; init; }

    /// <summary>Converts force/mass to acceleration (velocity per time): the inverse of <see cref="MvvToEnergy"/>.</summary>
    public double ForceToAcceleration => 1.0 / MvvToEnergy;

    /// <summary>Converts energy/volume to pressure units.</summary>
    public required double EnergyPerVolumeToPressure { get; init; }

    public string LengthUnit { get; init; } = "σ";
    public string EnergyUnit { get; init; } = "ε";
    public string TimeUnit { get; init; } = "τ";
    public string PressureUnit { get; init; } = "ε/σ³";

    /// <summary>Reduced Lennard-Jones units.</summary>
    public static UnitSystem Lj { get; } = new()
    {
        Name = "lj", Boltzmann = 1.0, MvvToEnergy = 1.0, EnergyPerVolumeToPressure = 1.0,
    };

    /// <summary>LAMMPS <c>real</c> units (constants from LAMMPS update.cpp).</summary>
    public static UnitSystem Real { get; } = new()
    {
        Name = "real",
        Boltzmann = 0.0019872067,
        MvvToEnergy = 48.88821291 * 48.88821291,
        EnergyPerVolumeToPressure = 68568.415,
        LengthUnit = "Å", EnergyUnit = "kcal/mol", TimeUnit = "fs", PressureUnit = "atm",
    };

    /// <summary>Looks a unit system up by its config name.</summary>
    public static UnitSystem Parse(string name) => name switch
    {
        "lj" => Lj,
        "real" => Real,
        _ => throw new ArgumentException($"unknown units \"{name}\": use \"lj\" (reduced) or \"real\" (Å, fs, kcal/mol, K, g/mol)"),
    };
}
