using DiffSim.Potentials;

namespace DiffSim.Cli.Config;

/// <summary>
/// One <c>[[potential.pairs]]</c> entry: the two types (indices into <see cref="SystemConfig.Types"/>), the parameter
/// values by the potential's own parameter names, an optional cutoff overriding <c>[potential].cutoff</c>, and for
/// <c>kind = "table"</c> the table file (resolved to an absolute path) and section keyword.
/// </summary>
public sealed record PairConfig(
    string Display,
    int TypeA,
    int TypeB,
    IReadOnlyDictionary<string, double> Parameters,
    double? Cutoff,
    string? File,
    string? Keyword);

/// <summary>
/// <c>[potential]</c>: the kind (any name in <see cref="PotentialCatalog"/>, or "table" for LAMMPS table files),
/// the default cutoff, whether energies are shifted to zero at the cutoff, the neighbour-list skin, and the pairs.
/// </summary>
/// <summary>
/// The network of <c>kind = "nn"</c> or <c>"nn-temperature"</c> (<c>[potential.network]</c>) and its fixed repulsive
/// prior (<c>[potential.prior]</c>); defaults as <see cref="DiffSim.Potentials.Neural.PairNetworkShape"/>. For
/// "nn-temperature", <c>reference_temperature</c> T₀ of the reduced form u = E − ((T − T₀)/T₀)·N_S (null: the fit
/// takes the mean temperature of its state points).
/// </summary>
public sealed record NeuralConfig(int Gaussians, int Width, int Depth, DiffSim.Potentials.Neural.Activation Activation, ulong Seed,
    double? GridSpacing, double? SwitchOn, DiffSim.Potentials.Neural.RepulsivePrior? Prior, bool TemperatureDependent,
    double? ReferenceTemperature = null)
{
    public static NeuralConfig Read(TomlSection potential, bool temperatureDependent, double cutoff)
    {
        var shape = new DiffSim.Potentials.Neural.PairNetworkShape();
        var n = potential.Table("network");
        // Two centres at least: they sit at i·r_c/(G − 1).
        var gaussians = n?.Int("gaussians", 2, 10_000) ?? shape.Gaussians;
        var width = n?.Int("width", 1, 10_000) ?? shape.Width;
        var depth = n?.Int("depth", 1, 100) ?? shape.Depth;
        var activation = (n?.Choice("activation", "silu", "elu", "softplus", "tanh") ?? "silu") switch
        {
            "elu" => DiffSim.Potentials.Neural.Activation.Elu,
            "softplus" => DiffSim.Potentials.Neural.Activation.Softplus,
            "tanh" => DiffSim.Potentials.Neural.Activation.Tanh,
            _ => DiffSim.Potentials.Neural.Activation.Silu,
        };
        var seed = n?.Seed("seed") ?? 1;
        var spacing = n?.Positive("grid_spacing");
        // The MD runs on the table through these knots: 20 intervals at least, or the table is not the network (a
        // spacing of 1 gave energies of −3,000 a particle), and at most 10⁵, past which it only costs memory and time.
        if (spacing is { } h && (h > cutoff / 20 || h < cutoff / 1e5))
            throw n!.Error("grid_spacing", $"must lie between cutoff/100000 and cutoff/20 ({cutoff / 1e5:G3} to {cutoff / 20:G3}), got {h}; the default, cutoff/500, interpolates the network to about 1e-7");
        var switchOn = n?.Positive("switch_on");
        if (switchOn is { } on && on >= cutoff)
            throw n!.Error("switch_on", $"must lie below the cutoff ({cutoff}), got {on}: the network is switched off between switch_on and the cutoff");
        var reference = n?.Positive("reference_temperature");
        if (reference is not null && !temperatureDependent)
            throw n!.Error("reference_temperature", "only kind = \"nn-temperature\" has a temperature-dependent part; remove it");
        n?.EnsureNoUnknownKeys();
        DiffSim.Potentials.Neural.RepulsivePrior? prior = null;
        if (potential.Table("prior") is { } p)
        {
            var eps = p.Positive("epsilon") ?? throw p.Missing("epsilon", "the prior is ε(σ/r)^n: give epsilon and sigma");
            var sigma = p.Positive("sigma") ?? throw p.Missing("sigma", "the prior is ε(σ/r)^n: give epsilon and sigma");
            var power = p.Positive("power") ?? 12;
            p.EnsureNoUnknownKeys();
            prior = new DiffSim.Potentials.Neural.RepulsivePrior(eps, sigma, power);
        }
        return new NeuralConfig(gaussians, width, depth, activation, seed, spacing, switchOn, prior, temperatureDependent, reference);
    }
}

public sealed record PotentialConfig(string Kind, double? Cutoff, bool Shift, double Skin, IReadOnlyList<PairConfig> Pairs, NeuralConfig? Neural = null)
{
    public const string TableKind = "table";

    /// <summary>Kinds of trainable neural-network potentials, for diffsim fit.</summary>
    public static readonly string[] NeuralKinds = ["nn", "nn-temperature"];

    public bool IsTable => string.Equals(Kind, TableKind, StringComparison.OrdinalIgnoreCase);

    /// <summary>The largest cutoff of any pair (table pairs without a cutoff count with <paramref name="tableCutoff"/>).</summary>
    public double MaxCutoff(Func<PairConfig, double>? tableCutoff = null)
        => Pairs.Count == 0 ? Cutoff ?? 0.0 : Pairs.Max(p => p.Cutoff ?? Cutoff ?? tableCutoff?.Invoke(p) ?? 0.0);

    /// <summary>Reads [potential]; <paramref name="types"/> are the type names of [system], in order.</summary>
    public static PotentialConfig Read(TomlSection s, IReadOnlyList<string> types, UnitSystem units)
    {
        var kind = s.String("kind") ?? throw s.Missing("kind", $"use one of {KnownKinds()}");
        if (NeuralKinds.Contains(kind, StringComparer.OrdinalIgnoreCase)) return ReadNeural(s, kind.ToLowerInvariant(), units);
        IReadOnlyList<string> parameterNames = [];
        var isTable = string.Equals(kind, TableKind, StringComparison.OrdinalIgnoreCase);
        if (!isTable)
        {
            try { parameterNames = PotentialCatalog.Find(kind).ParameterNames; }
            catch (ArgumentException) { throw s.Error("kind", $"unknown potential \"{kind}\"; use one of {KnownKinds()}"); }
        }
        var cutoff = s.Double("cutoff");
        if (cutoff is { } c && !(c > 0)) throw s.Error("cutoff", $"must be positive, got {c}");
        var shift = s.Bool("shift") ?? false;
        var skin = s.Double("skin") ?? (units.Name == "real" ? 2.0 : 0.3);
        if (!(skin >= 0)) throw s.Error("skin", $"must be zero or more, got {skin}");

        var tables = s.Tables("pairs");
        if (tables.Count == 0)
            throw s.Missing("pairs", $"add a [[potential.pairs]] table per type pair, e.g. types = [\"{types[0]}\", \"{types[0]}\"]{(isTable ? ", file = \"x.table\", keyword = \"NAME\"" : string.Concat(parameterNames.Select(p => $", {p.ToLowerInvariant()} = 1.0")))}");
        var pairs = new List<PairConfig>();
        var seen = new Dictionary<(int, int), string>();
        foreach (var t in tables)
        {
            var pair = ReadPair(t, types, parameterNames, isTable, cutoff);
            var key = (Math.Min(pair.TypeA, pair.TypeB), Math.Max(pair.TypeA, pair.TypeB));
            if (seen.TryGetValue(key, out var first))
                throw t.Error("types", $"the pair [\"{types[key.Item1]}\", \"{types[key.Item2]}\"] is already given by {first}; give each pair once");
            seen[key] = t.DisplayName;
            pairs.Add(pair);
        }
        for (var a = 0; a < types.Count; a++)
            for (var b = a; b < types.Count; b++)
                if (!seen.ContainsKey((a, b)))
                    throw new ConfigException("[[potential.pairs]]",
                        $"[[potential.pairs]]: no interaction for the type pair [\"{types[a]}\", \"{types[b]}\"]; add a [[potential.pairs]] table with types = [\"{types[a]}\", \"{types[b]}\"]");
        s.EnsureNoUnknownKeys();
        return new PotentialConfig(isTable ? TableKind : kind, cutoff, shift, skin, pairs);
    }

    /// <summary>A neural potential: one network per type pair, all with [potential].cutoff; no [[potential.pairs]].</summary>
    private static PotentialConfig ReadNeural(TomlSection s, string kind, UnitSystem units)
    {
        var cutoff = s.Positive("cutoff") ?? throw s.Missing("cutoff", $"kind = \"{kind}\" needs the networks' cutoff, e.g. cutoff = 2.5");
        var skin = s.Double("skin") ?? (units.Name == "real" ? 2.0 : 0.3);
        if (!(skin >= 0)) throw s.Error("skin", $"must be zero or more, got {skin}");
        if (s.Has("pairs")) throw s.Error("pairs", $"kind = \"{kind}\" learns every pair's network; remove the [[potential.pairs]] tables");
        var neural = NeuralConfig.Read(s, kind == "nn-temperature", cutoff);
        s.Declare("network");
        s.Declare("prior");
        s.EnsureNoUnknownKeys();
        return new PotentialConfig(kind, cutoff, false, skin, [], neural);
    }

    private static PairConfig ReadPair(TomlSection t, IReadOnlyList<string> types, IReadOnlyList<string> parameterNames, bool isTable, double? defaultCutoff)
    {
        var names = t.Strings("types") ?? throw t.Missing("types", "name the two types, e.g. types = [\"A\", \"A\"]");
        if (names.Length != 2) throw t.Error("types", $"must name exactly two types, got {names.Length}");
        var idx = names.Select(n =>
        {
            var i = types.ToList().IndexOf(n);
            return i >= 0 ? i : throw t.Error("types", $"unknown type \"{n}\"; [system].types defines {string.Join(", ", types.Select(x => $"\"{x}\""))}");
        }).ToArray();
        var cutoff = t.Double("cutoff");
        if (cutoff is { } c && !(c > 0)) throw t.Error("cutoff", $"must be positive, got {c}");

        var parameters = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        string? file = null, keyword = null;
        if (isTable)
        {
            var f = t.String("file") ?? throw t.Missing("file", "kind = \"table\" needs file = \"name.table\" (relative to the config's folder) and keyword = \"SECTION\"");
            file = t.Source.Resolve(f);
            if (DiffSim.IO.InputFile.Problem(file, "table file") is { } problem) throw t.Error("file", problem);
            keyword = t.String("keyword");
        }
        else
        {
            if (cutoff is null && defaultCutoff is null)
                throw t.Missing("cutoff", "give [potential].cutoff for all pairs or cutoff in each [[potential.pairs]] table");
            foreach (var p in parameterNames)
            {
                var canonical = p.ToLowerInvariant();
                t.Declare(canonical);
                var actual = t.Keys.FirstOrDefault(k => string.Equals(k, p, StringComparison.OrdinalIgnoreCase));
                if (actual is null)
                    throw t.Missing(canonical, $"this potential takes {string.Join(", ", parameterNames.Select(n => n.ToLowerInvariant()))}");
                parameters[p] = t.Double(actual)!.Value;
            }
        }
        t.EnsureNoUnknownKeys();
        return new PairConfig(t.DisplayName, idx[0], idx[1], parameters, cutoff, file, keyword);
    }

    private static string KnownKinds() => string.Join(", ", PotentialCatalog.Names.Append(TableKind).Select(n => $"\"{n}\""));
}
