using DiffSim.Forces;

namespace DiffSim.Cli.Config;

/// <summary>Trajectory file format of [output].trajectory.</summary>
public enum TrajectoryFormat
{
    None,
    Lammps,
    Xyz,
}

/// <summary>
/// <c>[run]</c>: equilibration steps (run first, not averaged), production steps, thermo output interval, threads
/// (0 = all cores), kernel precision and SIMD path, and the seed of the initial velocities.
/// </summary>
public sealed record RunConfig(long Equilibrate, long Steps, int ThermoEvery, int Threads, Precision Precision, KernelPath Kernel, ulong? VelocitySeed)
{
    public static RunConfig Read(TomlSection s)
    {
        var equilibrate = s.NonNegative("equilibrate") ?? 0;
        var steps = s.NonNegative("steps") ?? throw s.Missing("steps", "give the number of production steps, e.g. steps = 5000");
        var thermoEvery = s.Int("thermo_every", 1) ?? 100;
        var threads = s.Int("threads", 0, 4096) ?? 0;
        var precision = s.Choice("precision", "double", "float") == "float" ? Precision.Float : Precision.Double;
        var kernel = s.Choice("kernel", "auto", "scalar", "vector256", "vector512") switch
        {
            "scalar" => KernelPath.Scalar,
            "vector256" => KernelPath.Vector256,
            "vector512" => KernelPath.Vector512,
            _ => KernelPath.Auto,
        };
        var seed = s.Seed("velocity_seed");
        s.EnsureNoUnknownKeys();
        return new RunConfig(equilibrate, steps, thermoEvery, threads, precision, kernel, seed);
    }

    /// <summary>Threads to use: <see cref="Threads"/>, or every core when it is 0.</summary>
    public int ResolvedThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}

/// <summary><c>[rdf]</c>: histogram bins, range (default half the shortest box edge) and sampling interval in steps (0 turns it off).</summary>
public sealed record RdfConfig(int Bins, double? RMax, int Every)
{
    public static RdfConfig Default { get; } = new(100, null, 10);

    public static RdfConfig Read(TomlSection? s)
    {
        if (s is null) return Default;
        var bins = s.Int("bins", 1, 1_000_000) ?? Default.Bins;
        var rmax = s.Double("rmax");
        if (rmax is { } r && !(r > 0)) throw s.Error("rmax", $"must be positive, got {r}");
        var every = s.Int("every", 0) ?? Default.Every;
        s.EnsureNoUnknownKeys();
        return new RdfConfig(bins, rmax, every);
    }
}

/// <summary><c>[output]</c>: the output folder (relative to the config's folder) and the optional trajectory.</summary>
public sealed record OutputConfig(string Directory, TrajectoryFormat Trajectory, int TrajectoryEvery)
{
    public const string DefaultDirectory = "diffsim-out";

    /// <param name="trajectories">Whether the command writes trajectories (simulate); elsewhere their keys are unknown keys, not silently ignored ones.</param>
    public static OutputConfig Read(TomlSection? s, ConfigSource source, bool trajectories = true)
    {
        if (s is null) return new OutputConfig(source.Resolve(DefaultDirectory), TrajectoryFormat.None, 100);
        var dir = s.String("dir") ?? DefaultDirectory;
        if (dir.Trim().Length == 0) throw s.Error("dir", "must not be empty");
        if (!trajectories)
        {
            s.EnsureNoUnknownKeys();
            return new OutputConfig(source.Resolve(dir), TrajectoryFormat.None, 100);
        }
        var trajectory = s.Choice("trajectory", "none", "lammps", "xyz") switch
        {
            "lammps" => TrajectoryFormat.Lammps,
            "xyz" => TrajectoryFormat.Xyz,
            _ => TrajectoryFormat.None,
        };
        var every = s.Int("trajectory_every", 1) ?? 100;
        s.EnsureNoUnknownKeys();
        return new OutputConfig(source.Resolve(dir), trajectory, every);
    }
}

/// <summary>The whole config of <c>diffsim simulate</c>: the shared model tables plus [run], [rdf] and [output].</summary>
public sealed record SimulateConfig(ModelConfig Model, RunConfig Run, RdfConfig Rdf, OutputConfig Output, ConfigSource Source)
{
    public static SimulateConfig Load(string path) => Read(ConfigSource.Load(path, "simulate"));

    public static SimulateConfig Parse(string text, ConfigSource source) => Read(source.Parse(text));

    public static readonly string[] TopLevelKeys = [.. ModelConfig.TopLevelKeys, "run", "rdf", "output"];

    public static SimulateConfig Read(TomlSection root)
    {
        // Unknown top-level keys first, so that a misspelt table is named as such rather than reported missing.
        foreach (var key in TopLevelKeys) root.Declare(key);
        root.EnsureNoUnknownKeys();
        var model = ModelConfig.Read(root);
        var runTable = root.Table("run") ?? throw root.Missing("run", "add a [run] table with at least steps = N");
        var run = RunConfig.Read(runTable);
        var rdf = RdfConfig.Read(root.Table("rdf"));
        if (rdf.Every > run.Steps)
            throw new ConfigException("[rdf].every", $"[rdf].every: {rdf.Every} exceeds [run].steps ({run.Steps}), so no frame would be sampled and no rdf.csv written; sample more often, or set every = 0 to turn the RDF off");
        var output = OutputConfig.Read(root.Table("output"), root.Source);
        _ = model.InitialTemperature();
        return new SimulateConfig(model, run, rdf, output, root.Source);
    }
}
