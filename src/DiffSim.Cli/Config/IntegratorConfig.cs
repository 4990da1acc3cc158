namespace DiffSim.Cli.Config;

public enum IntegratorKind
{
    Nve,
    NoseHoover,
    Langevin,
}

/// <summary>
/// <c>[integrator]</c>: velocity Verlet (nve), a Nosé–Hoover chain (nose-hoover) or BAOAB Langevin (langevin).
/// The time step defaults to 0.005 τ (lj) or 1 fs (real); tdamp to 100 time steps, as is usual with LAMMPS.
/// </summary>
public sealed record IntegratorConfig(IntegratorKind Kind, double TimeStep, double? Temperature, double DampingTime, int Chain, ulong? Seed)
{
    public static IntegratorConfig Default(UnitSystem units) => new(IntegratorKind.Nve, DefaultTimeStep(units), null, 100 * DefaultTimeStep(units), 3, null);

    public static double DefaultTimeStep(UnitSystem units) => units.Name == "real" ? 1.0 : 0.005;

    /// <param name="temperaturePerState">True for fit configs, where each [[state]] sets its own temperature.</param>
    public static IntegratorConfig Read(TomlSection? s, UnitSystem units, bool temperaturePerState = false)
    {
        if (s is null) return Default(units);
        var kind = s.Choice("kind", "nve", "nose-hoover", "langevin") switch
        {
            "nose-hoover" => IntegratorKind.NoseHoover,
            "langevin" => IntegratorKind.Langevin,
            _ => IntegratorKind.Nve,
        };
        var dt = s.Double("dt") ?? DefaultTimeStep(units);
        if (!(dt > 0)) throw s.Error("dt", $"must be positive, got {dt} ({units.TimeUnit})");
        var temperature = s.Double("temperature");
        if (temperaturePerState && temperature is not null)
            throw s.Error("temperature", "is set per state point in a fit config: give temperature = ... in each [[state]]");
        if (kind != IntegratorKind.Nve && !temperaturePerState)
        {
            if (temperature is null) throw s.Missing("temperature", $"kind = \"{KindName(kind)}\" needs the target temperature");
            if (kind == IntegratorKind.NoseHoover && !(temperature > 0)) throw s.Error("temperature", $"must be positive for nose-hoover, got {temperature}");
            if (!(temperature >= 0)) throw s.Error("temperature", $"must be zero or more, got {temperature}");
        }
        var tdamp = s.Double("tdamp") ?? 100 * dt;
        if (!(tdamp > 0)) throw s.Error("tdamp", $"must be positive, got {tdamp} ({units.TimeUnit}; 100 × dt is usual)");
        var chain = s.Int("chain", 1, 100);
        if (chain is not null && kind != IntegratorKind.NoseHoover) throw s.Error("chain", "is only used with kind = \"nose-hoover\"");
        var seed = s.Seed("seed");
        if (seed is not null && kind != IntegratorKind.Langevin) throw s.Error("seed", "is only used with kind = \"langevin\"; initial velocities take [run].velocity_seed");
        s.EnsureNoUnknownKeys();
        return new IntegratorConfig(kind, dt, temperature, tdamp, chain ?? 3, seed);
    }

    public static string KindName(IntegratorKind kind) => kind switch
    {
        IntegratorKind.NoseHoover => "nose-hoover",
        IntegratorKind.Langevin => "langevin",
        _ => "nve",
    };
}
