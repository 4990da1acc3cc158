namespace DiffSim.Cli.Config;

/// <summary>
/// <c>[ibi]</c>: iterations, the run of each iteration, the update's damping, threshold, smoothing and taper, the
/// grid spacing (default the [rdf] bin width), and the optional pressure correction with a target pressure per
/// state point (<c>[ibi.pressure]</c>, keyed by [[state]] name).
/// </summary>
public sealed record IbiSettings(int Iterations, int StepsPerIteration, int Equilibrate, int InitialEquilibrate, int SampleEvery,
    double Damping, double Threshold, int Smoothing, double Taper, double? GridSpacing, bool PressureCorrection,
    IReadOnlyDictionary<string, double> Pressures, double? PressureScale, int Threads)
{
    public static IbiSettings Read(TomlSection? s, IReadOnlyList<StateConfig> states)
    {
        var d = new DiffSim.Training.IbiOptions { RdfMax = 1 };
        if (s is null) return new IbiSettings(d.Iterations, d.StepsPerIteration, d.Equilibrate, d.InitialEquilibrate, d.SampleEvery, d.Damping, d.Threshold, d.SmoothingPasses, d.Taper, null, false, new Dictionary<string, double>(), null, Environment.ProcessorCount);
        var iterations = s.Int("iterations", 0, 100_000) ?? d.Iterations;
        var steps = s.Int("steps_per_iteration", 1) ?? d.StepsPerIteration;
        var equilibrate = s.Int("equilibrate", 0) ?? d.Equilibrate;
        var initial = s.Int("initial_equilibrate", 0) ?? d.InitialEquilibrate;
        var every = s.Int("sample_every", 1) ?? d.SampleEvery;
        if (every > steps) throw s.Error("sample_every", $"must not exceed steps_per_iteration ({steps}), got {every}");
        var damping = s.Positive("damping") ?? d.Damping;
        if (damping > 1) throw s.Error("damping", $"must be in (0, 1], got {damping}");
        var threshold = s.Positive("threshold") ?? d.Threshold;
        var smoothing = s.Int("smoothing", 0, 1000) ?? d.SmoothingPasses;
        var taper = s.Positive("taper") ?? d.Taper;
        if (taper >= 1) throw s.Error("taper", $"is the fraction of the cutoff over which u goes to zero; must be in (0, 1), got {taper}");
        var spacing = s.Positive("grid_spacing");
        var correction = s.Bool("pressure_correction") ?? false;
        var scale = s.Positive("pressure_scale");
        var threads = s.Int("threads", 0, 4096) ?? 0;
        var pressures = new Dictionary<string, double>();
        if (s.Table("pressure") is { } p)
        {
            foreach (var key in p.Keys.ToList())
            {
                if (!states.Any(st => st.Name == key)) throw p.Error(key, $"is not the name of a [[state]] ({string.Join(", ", states.Select(st => st.Name))})");
                pressures[key] = p.Double(key)!.Value;
            }
            p.EnsureNoUnknownKeys();
        }
        if (correction)
        {
            var missing = states.Where(st => st.Weight > 0 && !pressures.ContainsKey(st.Name)).Select(st => st.Name).ToList();
            if (missing.Count > 0)
                throw s.Error("pressure_correction", $"needs a target pressure for every state point: add [ibi.pressure] with \"{missing[0]}\" = <pressure>{(missing.Count > 1 ? $" (and {string.Join(", ", missing.Skip(1))})" : "")}");
        }
        s.EnsureNoUnknownKeys();
        return new IbiSettings(iterations, steps, equilibrate, initial, every, damping, threshold, smoothing, taper, spacing, correction, pressures, scale,
            threads > 0 ? threads : Environment.ProcessorCount);
    }
}

/// <summary>
/// The config of <c>diffsim ibi</c>: a fit config (the model tables, [[state]] blocks, [rdf], [output]; [model] and
/// [train] are accepted and ignored) plus <c>[ibi]</c>. [potential] gives only the pairs and their cutoffs.
/// </summary>
public sealed record IbiConfig(FitConfig Fit, IbiSettings Ibi)
{
    public static IbiConfig Load(string path) => Read(ConfigSource.Load(path));

    public static IbiConfig Parse(string text, ConfigSource source) => Read(source.Parse(text));

    public static IbiConfig Read(TomlSection root)
    {
        root.Declare("ibi");
        var fit = FitConfig.Read(root);
        // IBI inverts RDFs only: a loss term would be silently ignored.
        if (fit.States.FirstOrDefault(s => s.Terms.Any) is { } withTerms)
            throw new ConfigException("[[state]]", $"[[state]] {withTerms.Name}: pressure, energy and vacf_target are loss terms of diffsim fit; ibi fits the RDF alone (for the pressure use [ibi] pressure_correction with [ibi.pressure])");
        return new IbiConfig(fit, IbiSettings.Read(root.Table("ibi"), fit.States));
    }
}
