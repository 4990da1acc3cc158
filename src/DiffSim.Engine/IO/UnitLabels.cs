namespace DiffSim.IO;

/// <summary>
/// Human-readable unit names for output headers and summaries. Conversions live in <see cref="UnitSystem"/>;
/// these are only the labels, so that every file states its units the same way.
/// </summary>
public static class UnitLabels
{
    /// <summary>Temperature unit: ε/k_B in reduced units, K in real units.</summary>
    public static string Temperature(UnitSystem units) => units.Name == "real" ? "K" : "ε/k_B";

    /// <summary>Mass unit: m in reduced units, g/mol in real units.</summary>
    public static string Mass(UnitSystem units) => units.Name == "real" ? "g/mol" : "m";

    /// <summary>Velocity unit: length per time.</summary>
    public static string Velocity(UnitSystem units) => $"{units.LengthUnit}/{units.TimeUnit}";

    /// <summary>The unit of each <see cref="Observables.ThermoSample"/> column (energies per particle).</summary>
    public static string ThermoColumn(UnitSystem units, string column) => column switch
    {
        "step" => "",
        "temperature" => Temperature(units),
        "pressure" => units.PressureUnit,
        _ => $"{units.EnergyUnit}/particle",
    };

    /// <summary>A one-line description of the thermo columns' units, for file headers.</summary>
    public static string ThermoDescription(UnitSystem units)
        => $"units {units.Name}: temperature in {Temperature(units)}, pe ke etotal conserved in {units.EnergyUnit} per particle, pressure in {units.PressureUnit}";
}
