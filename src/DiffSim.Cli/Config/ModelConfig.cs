namespace DiffSim.Cli.Config;

/// <summary>
/// The physical model shared by every command's config: <c>units</c>, <c>[system]</c>, <c>[potential]</c> and
/// <c>[integrator]</c>. Commands read these with <see cref="Read"/> and add their own tables (simulate: [run], [rdf],
/// [output]; fit: [[state]], [model], [train]); each command then rejects keys no reader asked for.
/// </summary>
public sealed record ModelConfig(UnitSystem Units, SystemConfig System, PotentialConfig Potential, IntegratorConfig Integrator)
{
    /// <summary>The top-level keys this reader owns; a command declares them with its own before rejecting unknown ones.</summary>
    public static readonly string[] TopLevelKeys = ["units", "system", "potential", "integrator"];

    /// <param name="temperaturePerState">True for fit configs, where each [[state]] sets its own temperature.</param>
    public static ModelConfig Read(TomlSection root, bool temperaturePerState = false)
    {
        var units = ReadUnits(root);
        var systemTable = root.Table("system") ?? throw root.Missing("system", "add a [system] table (lattice, cells, density, types)");
        var system = SystemConfig.Read(systemTable);
        var potentialTable = root.Table("potential") ?? throw root.Missing("potential", "add a [potential] table (kind, cutoff) and [[potential.pairs]] entries");
        var potential = PotentialConfig.Read(potentialTable, system.Types.Select(t => t.Name).ToList(), units);
        var integrator = IntegratorConfig.Read(root.Table("integrator"), units, temperaturePerState);
        return new ModelConfig(units, system, potential, integrator);
    }

    /// <summary>The top-level <c>units</c> key: "lj" (the default) or "real".</summary>
    public static UnitSystem ReadUnits(TomlSection root)
        => root.Choice("units", "lj", "real") is "real" ? UnitSystem.Real : UnitSystem.Lj;

    /// <summary>Temperature for the initial velocities: [system].temperature, else the integrator's target.</summary>
    public double InitialTemperature()
        => System.Temperature ?? Integrator.Temperature
           ?? throw new ConfigException("[system].temperature",
               "[system].temperature: missing; an nve run needs the initial temperature for the velocities, e.g. temperature = 1.0 in [system]");
}
