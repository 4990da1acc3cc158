using Tomlyn.Model;

namespace DiffSim.Cli.Config;

/// <summary>
/// One TOML table of a config, read key by key. Every key asked for is recorded as known, so that after a reader
/// has asked for all the keys its schema has, <see cref="EnsureNoUnknownKeys"/> rejects anything else by name
/// (a misspelt key is an error, not a silent default). Errors are <see cref="ConfigException"/>s naming the key
/// as <c>[table].key</c>. Shared by every command's config reader.
/// </summary>
public sealed class TomlSection
{
    private readonly TomlTable _table;
    private readonly List<string> _known = [];

    public TomlSection(TomlTable table, string path, string displayName, ConfigSource source)
    {
        _table = table;
        Path = path;
        DisplayName = displayName;
        Source = source;
    }

    /// <summary>Dotted path of the table ("" for the top level, "system", "potential.pairs").</summary>
    public string Path { get; }

    /// <summary>How messages name the table: "the top level", "[system]", "[[potential.pairs]] #2".</summary>
    public string DisplayName { get; }

    public ConfigSource Source { get; }

    public IEnumerable<string> Keys => _table.Keys;

    /// <summary>The key as messages name it: <c>[system].density</c>, <c>[[potential.pairs]] #2 epsilon</c>, <c>units</c>.</summary>
    public string Name(string key) => Path.Length == 0 ? key
        : DisplayName.StartsWith("[[", StringComparison.Ordinal) ? $"{DisplayName} {key}"
        : $"{DisplayName}.{key}";

    public ConfigException Error(string key, string message) => new(Name(key), $"{Name(key)}: {message}");

    /// <summary>
    /// Every value of the table and the tables below it as "path = value" lines in key order (comments, layout and
    /// the order of keys left out), without the <paramref name="ignored"/> paths ("train.epochs"): what a resumed run
    /// compares with the config it was started with.
    /// </summary>
    public IReadOnlyList<string> CanonicalLines(IReadOnlySet<string> ignored)
    {
        var lines = new List<string>();
        Walk(_table, Path, lines, ignored);
        return lines;
    }

    private static void Walk(object? value, string path, List<string> lines, IReadOnlySet<string> ignored)
    {
        if (ignored.Contains(path)) return;
        switch (value)
        {
            case TomlTable table:
                foreach (var key in table.Keys.Order(StringComparer.Ordinal)) Walk(table[key], path.Length == 0 ? key : $"{path}.{key}", lines, ignored);
                break;
            case TomlTableArray tables:
                for (var k = 0; k < tables.Count; k++) Walk(tables[k], $"{path}[{k}]", lines, ignored);
                break;
            case TomlArray array when array.All(v => v is not TomlTable):
                lines.Add($"{path} = [{string.Join(", ", array.Select(Text))}]");
                break;
            case TomlArray array:
                for (var k = 0; k < array.Count; k++) Walk(array[k], $"{path}[{k}]", lines, ignored);
                break;
            default:
                lines.Add($"{path} = {Text(value)}");
                break;
        }
    }

    private static string Text(object? value) => value switch
    {
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        TomlArray a => $"[{string.Join(", ", a.Select(Text))}]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    /// <summary>
    /// The error for a required key that is absent. When a present key not in the schema is a near miss of it
    /// (<c>densty</c> for <c>density</c>), the misspelling is what to report.
    /// </summary>
    public ConfigException Missing(string key, string hint)
    {
        Declare(key);
        var near = _table.Keys.Where(k => !_known.Contains(k) && Distance(k, key) <= Math.Max(2, key.Length / 3)).FirstOrDefault();
        return near is not null
            ? UnknownKey(near, $"did you mean \"{key}\"?", listKnown: false)
            : Error(key, $"missing; {hint}");
    }

    /// <summary>True when the key is present (and records it as known).</summary>
    public bool Has(string key)
    {
        Declare(key);
        return _table.ContainsKey(key);
    }

    /// <summary>Records a key as part of the schema without reading it.</summary>
    public void Declare(string key)
    {
        if (!_known.Contains(key)) _known.Add(key);
    }

    private object? Raw(string key)
    {
        Declare(key);
        return _table.TryGetValue(key, out var v) ? v : null;
    }

    public double? Double(string key)
    {
        return Raw(key) switch
        {
            null => null,
            double d when double.IsFinite(d) => d,
            double d => throw Error(key, $"must be a finite number, got {d}"),
            long l => l,
            var other => throw Error(key, $"must be a number, got {Describe(other)}"),
        };
    }

    public double Double(string key, double fallback) => Double(key) ?? fallback;

    public double RequiredDouble(string key, string hint) => Double(key) ?? throw Missing(key, hint);

    public double? Positive(string key)
    {
        var v = Double(key);
        if (v is { } x && !(x > 0)) throw Error(key, $"must be positive, got {x}");
        return v;
    }

    public long? Integer(string key)
    {
        return Raw(key) switch
        {
            null => null,
            long l => l,
            double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
            var other => throw Error(key, $"must be an integer, got {Describe(other)}"),
        };
    }

    public long Integer(string key, long fallback) => Integer(key) ?? fallback;

    /// <summary>An integer within [min, max].</summary>
    public int? Int(string key, int min, int max = int.MaxValue)
    {
        var v = Integer(key);
        if (v is null) return null;
        if (v < min || v > max)
            throw Error(key, max != int.MaxValue ? $"must be between {min} and {max}, got {v}" : v < min ? $"must be at least {min}, got {v}" : $"must be at most {max}, got {v}");
        return (int)v;
    }

    public long? NonNegative(string key)
    {
        var v = Integer(key);
        if (v < 0) throw Error(key, $"must be zero or more, got {v}");
        return v;
    }

    public ulong? Seed(string key)
    {
        var v = Integer(key);
        if (v < 0) throw Error(key, $"must be a non-negative integer, got {v}");
        return v is null ? null : (ulong)v.Value;
    }

    public bool? Bool(string key) => Raw(key) switch
    {
        null => null,
        bool b => b,
        var other => throw Error(key, $"must be true or false, got {Describe(other)}"),
    };

    public string? String(string key) => Raw(key) switch
    {
        null => null,
        string s => s,
        var other => throw Error(key, $"must be a string, got {Describe(other)}"),
    };

    /// <summary>A string that must be one of <paramref name="choices"/> (compared case-insensitively, returned as listed).</summary>
    public string? Choice(string key, params string[] choices)
    {
        var s = String(key);
        if (s is null) return null;
        foreach (var c in choices)
            if (string.Equals(c, s, StringComparison.OrdinalIgnoreCase)) return c;
        throw Error(key, $"unknown value \"{s}\"; use one of {string.Join(", ", choices.Select(c => $"\"{c}\""))}");
    }

    public string[]? Strings(string key)
    {
        var raw = Raw(key);
        if (raw is null) return null;
        if (raw is not TomlArray array) throw Error(key, $"must be an array of strings, got {Describe(raw)}");
        return array.Select(x => x as string ?? throw Error(key, $"must be an array of strings, got an element {Describe(x)}")).ToArray();
    }

    /// <summary>An array of arrays of strings, <c>[["A", "A"], ["A", "B"]]</c>.</summary>
    public string[][]? StringArrays(string key)
    {
        var raw = Raw(key);
        if (raw is null) return null;
        if (raw is not TomlArray outer) throw Error(key, $"must be an array of arrays of strings, got {Describe(raw)}");
        return outer.Select(x => x is TomlArray inner
            ? inner.Select(v => v as string ?? throw Error(key, $"must be an array of arrays of strings, got an element {Describe(v)}")).ToArray()
            : throw Error(key, $"must be an array of arrays of strings, got an element {Describe(x)}")).ToArray();
    }

    public long[]? Integers(string key)
    {
        var raw = Raw(key);
        if (raw is null) return null;
        if (raw is not TomlArray array) throw Error(key, $"must be an array of integers, got {Describe(raw)}");
        return array.Select(x => x switch
        {
            long l => l,
            _ => throw Error(key, $"must be an array of integers, got an element {Describe(x)}"),
        }).ToArray();
    }

    /// <summary>A sub-table ([system] under the top level); null when absent.</summary>
    public TomlSection? Table(string key)
    {
        var raw = Raw(key);
        if (raw is null) return null;
        if (raw is not TomlTable t) throw Error(key, $"must be a table ([{Child(key)}]), got {Describe(raw)}");
        return new TomlSection(t, Child(key), $"[{Child(key)}]", Source);
    }

    /// <summary>
    /// An array of tables, written either as <c>[[a.b]]</c> blocks or as an inline array <c>b = [{...}, {...}]</c>;
    /// empty when absent. Elements are named <c>[[a.b]] #k</c> (from 1) in messages.
    /// </summary>
    public IReadOnlyList<TomlSection> Tables(string key)
    {
        var raw = Raw(key);
        var path = Child(key);
        IEnumerable<object?> items = raw switch
        {
            null => [],
            TomlTableArray ta => ta,
            TomlArray a => a,
            _ => throw Error(key, $"must be an array of tables ([[{path}]] blocks or [{{...}}, ...]), got {Describe(raw)}"),
        };
        var list = new List<TomlSection>();
        var k = 0;
        foreach (var item in items)
        {
            k++;
            if (item is not TomlTable t) throw Error(key, $"element {k} must be a table, got {Describe(item)}");
            list.Add(new TomlSection(t, path, $"[[{path}]] #{k}", Source));
        }
        return list;
    }

    /// <summary>Throws naming the first key present that no reader asked for, with the nearest known key as a suggestion.</summary>
    public void EnsureNoUnknownKeys()
    {
        foreach (var key in _table.Keys)
        {
            if (_known.Contains(key)) continue;
            var nearest = _known.MinBy(k => Distance(k, key));
            var hint = nearest is not null && Distance(nearest, key) <= Math.Max(2, key.Length / 3)
                ? $"did you mean \"{nearest}\"? "
                : "";
            throw UnknownKey(key, hint);
        }
    }

    private ConfigException UnknownKey(string key, string hint, bool listKnown = true)
    {
        var where = Path.Length == 0 ? "at the top level" : $"in {DisplayName}";
        var known = listKnown ? $"known keys are {string.Join(", ", _known)}" : "";
        return new ConfigException(Name(key), $"unknown key \"{key}\" {where}: {hint}{known}".TrimEnd());
    }

    private string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => $"the string \"{s}\"",
        long or double => $"the number {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}",
        bool b => b ? "true" : "false",
        TomlTable => "a table",
        TomlTableArray => "an array of tables",
        TomlArray => "an array",
        _ => $"a {value.GetType().Name}",
    };

    /// <summary>Levenshtein distance, case-insensitive, for "did you mean" hints.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant(); b = b.ToLowerInvariant();
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
