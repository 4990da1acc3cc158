using DiffSim.Adjoint;
using DiffSim.Forces;

namespace DiffSim.Cli.Config;

/// <summary>
/// A <c>[[state]]</c> of a fit: a state point that the shared potential must reproduce. It takes [system] and
/// [integrator] and overrides the temperature (required), and optionally density, cells and composition; besides its
/// RDF target it may add pressure, energy and VACF terms to its loss (<see cref="StateTermsConfig"/>).
/// </summary>
public sealed record StateConfig(string Name, double Temperature, double? Density, int[]? Cells, IReadOnlyDictionary<string, double>? Fractions, string Target, double Weight,
    StateTermsConfig Terms)
{
    public static StateConfig Read(TomlSection s, int index, IReadOnlyList<string> typeNames)
    {
        var name = s.String("name") ?? $"state{index + 1}";
        if (!IsUsableStateName(name))
            throw s.Error("name", $"\"{name}\" is not a usable state name: it names output files (rdf_{name}.csv) and CSV columns, so it may not contain '/', '\\' or ',', nor be empty, \".\" or \"..\"");
        var temperature = s.Positive("temperature") ?? throw s.Missing("temperature", "each state point needs its temperature, e.g. temperature = 1.0");
        var density = s.Positive("density");
        var cells = s.Integers("cells");
        if (cells is not null && (cells.Length != 3 || cells.Any(c => c < 1 || c > 10_000)))
            throw s.Error("cells", "must be three integers [nx, ny, nz] between 1 and 10000");
        var target = s.String("target") ?? throw s.Missing("target", "give the target RDF file: a CSV (r, g or r, g_A_A, g_A_B, ...) or LAMMPS fix ave/time output of compute rdf");
        var weight = s.Double("weight") ?? 1.0;
        if (!(weight >= 0)) throw s.Error("weight", $"must be zero or more, got {weight}");
        Dictionary<string, double>? fractions = null;
        if (s.Table("fractions") is { } f)
        {
            fractions = [];
            foreach (var key in f.Keys.ToList())
            {
                if (!typeNames.Contains(key)) throw f.Error(key, $"is not a type of [system].types ({string.Join(", ", typeNames)})");
                var v = f.Double(key)!.Value;
                if (!(v >= 0)) throw f.Error(key, $"must be zero or more, got {v}");
                fractions[key] = v;
            }
            f.EnsureNoUnknownKeys();
            var absent = typeNames.Where(t => !fractions.ContainsKey(t)).ToList();
            if (absent.Count > 0)
                throw s.Error("fractions", $"gives no fraction for {string.Join(", ", absent)}; name every type of [system].types (0 for a type the state point lacks)");
            SystemConfig.CheckFractionSum(s, "fractions", fractions.Values.Sum());
        }
        var targetPairs = ReadTargetPairs(s, typeNames);
        var terms = StateTermsConfig.Read(s);
        s.EnsureNoUnknownKeys();
        return new StateConfig(name, temperature, density, cells?.Select(c => (int)c).ToArray(), fractions, s.Source.Resolve(target), weight, terms) { TargetPairs = targetPairs };
    }

    /// <summary>
    /// The type pair of each g column of the target, in the file's order (<c>target_pairs = [["A", "A"], ["A", "B"], ["B", "B"]]</c>):
    /// how a LAMMPS <c>compute rdf</c> file, whose partials are numbered, not named, serves a mixture.
    /// </summary>
    public IReadOnlyList<(string A, string B)>? TargetPairs { get; init; }

    private static IReadOnlyList<(string A, string B)>? ReadTargetPairs(TomlSection s, IReadOnlyList<string> typeNames)
    {
        if (s.StringArrays("target_pairs") is not { } raw) return null;
        var pairs = new List<(string, string)>();
        foreach (var pair in raw)
        {
            if (pair.Length != 2) throw s.Error("target_pairs", $"each entry is a pair of type names, [\"A\", \"B\"]; got [{string.Join(", ", pair.Select(t => $"\"{t}\""))}]");
            foreach (var t in pair)
                if (!typeNames.Contains(t)) throw s.Error("target_pairs", $"\"{t}\" is not a type of [system].types ({string.Join(", ", typeNames)})");
            pairs.Add((pair[0], pair[1]));
        }
        return pairs;
    }

    private static bool IsUsableStateName(string name)
        => name.Trim().Length > 0 && name is not ("." or "..") && name.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\', ',']) < 0;
}

/// <summary>
/// <c>[model]</c>: what is trained and from where. <c>free</c> lists trainable parameters, by name (all type pairs) or
/// as name[A-B] (default all); <c>init</c> = "config" (the [potential] values or the seeded network) or "boltzmann"
/// (a network pre-fitted to −k_B T ln g of the first state's target, over <c>prefit_steps</c> Adam steps).
/// </summary>
public sealed record TrainModelConfig(string[]? Free, string Init = "config", int PrefitSteps = 300)
{
    public static TrainModelConfig Read(TomlSection? s)
    {
        if (s is null) return new TrainModelConfig((string[]?)null);
        var free = s.Strings("free");
        if (free is { Length: 0 }) throw s.Error("free", "lists no parameter, so nothing would be trained; name at least one (or leave free out to train them all)");
        var init = s.Choice("init", "config", "boltzmann") ?? "config";
        var prefit = s.Int("prefit_steps", 0, 1_000_000) ?? 300;
        s.EnsureNoUnknownKeys();
        return new TrainModelConfig(free, init, prefit);
    }

    /// <summary>The free flag of each parameter of <paramref name="names"/> (as "epsilon[A-A]"): <see cref="DiffSim.Training.FreeParameters.Mask"/>.</summary>
    public bool[] FreeMask(IReadOnlyList<string> names)
    {
        try { return DiffSim.Training.FreeParameters.Mask(names, Free); }
        catch (ArgumentException e) { throw new ConfigException("[model].free", $"[model].free: {e.Message}"); }
    }
}

/// <summary><c>[train]</c>: windows, optimiser and memory settings, and the length of the final evaluation run.</summary>
public sealed record TrainConfig(DiffSim.Training.TrainingOptions Options, int Equilibrate, Precision Precision, int EvaluateSteps)
{
    /// <summary>Steps of the run with the fitted potential that gives the reported RDFs and their errors.</summary>
    public const int DefaultEvaluateSteps = 2000;

    public static TrainConfig Read(TomlSection? s)
    {
        var d = new DiffSim.Training.TrainingOptions();
        if (s is null) return new TrainConfig(d with { Threads = Environment.ProcessorCount }, 1000, Precision.Double, DefaultEvaluateSteps);
        var window = s.Int("window", 1, 1_000_000) ?? d.WindowSteps;
        var every = s.Int("sample_every", 1, 1_000_000) ?? d.SampleEvery;
        if (every > window) throw s.Error("sample_every", $"must not exceed the window ({window} steps), got {every}");
        var epochs = s.Int("epochs", 0, 10_000_000) ?? d.Epochs;
        var lr = s.Positive("learning_rate") ?? d.LearningRate;
        var decay = s.Positive("lr_decay") ?? 1.0;
        if (decay > 1) throw s.Error("lr_decay", $"must lie in (0, 1] (the learning rate's factor per epoch; 1 = constant), got {decay}");
        var clip = s.Double("clip") ?? 0.0;
        if (!(clip >= 0)) throw s.Error("clip", $"must be zero (off) or positive, got {clip}");
        var tolerance = s.Double("loss_tolerance") ?? 0.0;
        var equilibrate = s.Int("equilibrate", 0) ?? 1000;
        var threads = s.Int("threads", 0, 4096) ?? 0;
        var interval = s.Int("checkpoint_interval", 0) ?? 0;
        var memory = s.Double("checkpoint_memory_mb") ?? 0.0;
        if (!(memory >= 0)) throw s.Error("checkpoint_memory_mb", $"must be zero (no bound) or positive, got {memory}");
        var binomial = s.Choice("checkpoint_schedule", "uniform", "binomial") == "binomial";
        if (binomial && interval > 0)
            throw s.Error("checkpoint_interval", "applies to the uniform schedule; the binomial one places its checkpoints itself (remove one of checkpoint_interval and checkpoint_schedule = \"binomial\")");
        var precision = s.Choice("precision", "double", "float") == "float" ? Precision.Float : Precision.Double;
        var evaluate = s.Int("evaluate_steps", 0) ?? DefaultEvaluateSteps;
        if (evaluate < every)
            throw s.Error("evaluate_steps", $"must be at least sample_every ({every}): the final run that gives the reported RDFs samples a frame every sample_every steps, got {evaluate}");
        var average = s.Double("average") ?? 0.0;
        if (!(average is >= 0 and < 1)) throw s.Error("average", $"must lie in [0, 1) (0 = off; 0.98 averages about the last 50 epochs), got {average}");
        s.EnsureNoUnknownKeys();
        var options = d with
        {
            WindowSteps = window,
            SampleEvery = every,
            Epochs = epochs,
            LearningRate = lr,
            LearningRateDecay = decay,
            ClipNorm = clip,
            ParameterAveraging = average,
            LossTolerance = tolerance,
            Threads = threads > 0 ? threads : Environment.ProcessorCount,
            Checkpointing = new CheckpointPolicy { Interval = interval, MemoryBudgetBytes = (long)(memory * 1024 * 1024), Binomial = binomial },
        };
        return new TrainConfig(options, equilibrate, precision, evaluate);
    }
}

/// <summary><c>[rdf]</c> of a fit: the differentiable RDF's bins and range, its Gaussian width, and the r range of the loss.</summary>
public sealed record FitRdfConfig(int Bins, double RMin, double? RMax, double Width, double LossRMin, double? LossRMax)
{
    public static FitRdfConfig Read(TomlSection? s)
    {
        if (s is null) return new FitRdfConfig(100, 0.0, null, 0.02, 0.0, null);
        var bins = s.Int("bins", 1, 100_000) ?? 100;
        var rmin = s.Double("rmin") ?? 0.0;
        if (!(rmin >= 0)) throw s.Error("rmin", $"must be zero or more, got {rmin}");
        var rmax = s.Positive("rmax");
        var width = s.Positive("width") ?? 0.02;
        var lossMin = s.Double("loss_rmin") ?? rmin;
        var lossMax = s.Positive("loss_rmax");
        if (rmax is { } r && !(r > rmin)) throw s.Error("rmax", $"must exceed rmin = {rmin}, got {r}");
        if (lossMin < rmin) throw s.Error("loss_rmin", $"must not lie below rmin = {rmin}, got {lossMin}");
        if (lossMax is { } lm && rmax is { } rm && lm > rm) throw s.Error("loss_rmax", $"must not exceed rmax = {rm}, got {lm}");
        if (lossMax is { } upper && !(upper > lossMin)) throw s.Error("loss_rmax", $"must exceed loss_rmin = {lossMin}, got {upper}");
        s.EnsureNoUnknownKeys();
        return new FitRdfConfig(bins, rmin, rmax, width, lossMin, lossMax);
    }
}

/// <summary>The whole config of <c>diffsim fit</c>: the model tables (temperature per state), [[state]] blocks, [model], [train], [rdf], [output].</summary>
public sealed record FitConfig(ModelConfig Model, IReadOnlyList<StateConfig> States, TrainModelConfig Training, TrainConfig Train, FitRdfConfig Rdf, OutputConfig Output, ConfigSource Source)
{
    public static readonly string[] TopLevelKeys = [.. ModelConfig.TopLevelKeys, "state", "model", "train", "rdf", "output"];

    public static FitConfig Load(string path) => Read(ConfigSource.Load(path, "fit"));

    /// <summary>Keys a resumed run may change: how long it trains, on how many threads, how long its final run is, where it writes.</summary>
    public static readonly IReadOnlySet<string> ResumableKeys = new HashSet<string> { "train.epochs", "train.threads", "train.evaluate_steps", "output.dir" };

    /// <summary>The config as "path = value" lines less <see cref="ResumableKeys"/> (<see cref="TomlSection.CanonicalLines"/>), kept in the checkpoint.</summary>
    public IReadOnlyList<string> Canonical { get; init; } = [];

    /// <summary>
    /// What differs between the config a checkpoint was written with and this one, as a message naming the first key
    /// (in key order) that changed; null when they agree.
    /// </summary>
    public string? DifferenceFrom(IReadOnlyList<string> saved)
    {
        static Dictionary<string, string> Split(IEnumerable<string?> lines)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in lines.OfType<string>())
            {
                var parts = line.Split(" = ", 2);
                values[parts[0]] = parts.Length > 1 ? parts[1] : "";
            }
            return values;
        }
        var (before, now) = (Split(saved), Split(Canonical));
        foreach (var key in before.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var (a, b) = (before.GetValueOrDefault(key), now.GetValueOrDefault(key));
            if (a != b) return $"{key} was {a ?? "not set"} when the run started and is {b ?? "not set"} now";
        }
        return null;
    }

    public static FitConfig Parse(string text, ConfigSource source) => Read(source.Parse(text));

    public static FitConfig Read(TomlSection root)
    {
        foreach (var key in TopLevelKeys) root.Declare(key);
        root.EnsureNoUnknownKeys();
        var model = ModelConfig.Read(root, temperaturePerState: true);
        var names = model.System.Types.Select(t => t.Name).ToList();
        var stateTables = root.Tables("state");
        if (stateTables.Count == 0) throw root.Missing("state", "add at least one [[state]] block with temperature and target");
        var states = stateTables.Select((t, k) => StateConfig.Read(t, k, names)).ToList();
        for (var k = 0; k < states.Count; k++)
            if (states[k].Cells is { } c) SystemConfig.CheckCells(stateTables[k], model.System.Lattice, c);
        if (model.Potential.Neural is { TemperatureDependent: true } && states.Select(s => s.Temperature).Distinct().Count() < 2)
            throw new ConfigException("[potential].kind", FormattableString.Invariant($"[potential].kind: \"nn-temperature\" learns u(r; T) = E(r) − T·S(r) from how g changes with T, but every state point is at T = {states[0].Temperature}: S(r) would get no gradient; use kind = \"nn\", or add a state point at another temperature"));
        if (states.All(s => s.Weight == 0))
            throw new ConfigException("[[state]] weight", "[[state]] weight: every state point has weight 0 (monitored only), so nothing would be trained; give at least one a positive weight");
        var duplicate = states.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ConfigException("[[state]].name", $"[[state]].name: \"{duplicate.Key}\" is used by {duplicate.Count()} state points; names must differ (they name output files)");
        var training = TrainModelConfig.Read(root.Table("model"));
        var train = TrainConfig.Read(root.Table("train"));
        var rdf = FitRdfConfig.Read(root.Table("rdf"));
        var output = OutputConfig.Read(root.Table("output"), root.Source, trajectories: false);
        return new FitConfig(model, states, training, train, rdf, output, root.Source) { Canonical = root.CanonicalLines(ResumableKeys) };
    }

    /// <summary>The model of one state point: [system] and [integrator] with the state's overrides.</summary>
    public ModelConfig ForState(StateConfig state)
    {
        var system = Model.System with
        {
            Density = state.Density ?? Model.System.Density,
            Cells = state.Cells ?? Model.System.Cells,
            Temperature = state.Temperature,
            Types = state.Fractions is null
                ? Model.System.Types
                : Model.System.Types.Select(t => t with { Fraction = state.Fractions.GetValueOrDefault(t.Name) }).ToList(),
        };
        return Model with { System = system, Integrator = Model.Integrator with { Temperature = state.Temperature } };
    }
}
