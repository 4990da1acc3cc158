using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Syntax;

namespace DiffSim.Cli.Config;

/// <summary>
/// Where a config came from: its name for messages and the folder that relative paths in it resolve against.
/// Parses the TOML text into the top-level <see cref="TomlSection"/>.
/// </summary>
public sealed partial record ConfigSource(string Name, string BaseDirectory)
{
    /// <summary>
    /// Reads and parses a config file; a missing or malformed file is a <see cref="ConfigException"/>. A missing one's
    /// message points to <c>diffsim <paramref name="command"/></c> without a config, when that command has a built-in example.
    /// </summary>
    public static TomlSection Load(string path, string? command = null)
    {
        if (path.Length == 0) throw new ConfigException("", "the config path is empty; give a TOML file");
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new ConfigException("", $"config \"{path}\" is a folder, not a file; give the TOML file inside it");
        if (!File.Exists(full))
            throw new ConfigException("", $"config file \"{path}\" not found (looked for {full}); check the path{(command is null ? "" : $", or run `diffsim {command}` with no argument for the built-in example")}");
        var source = new ConfigSource(path, System.IO.Path.GetDirectoryName(full)!);
        return source.Parse(File.ReadAllText(full));
    }

    /// <summary>Parses TOML text; a syntax error becomes a one-line <see cref="ConfigException"/> with its line and column.</summary>
    public TomlSection Parse(string text)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            var first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? e.Message;
            var m = Diagnostic().Match(first);
            var where = m.Success ? $"{Name}:{m.Groups[1].Value}:{m.Groups[2].Value}" : Name;
            var what = m.Success ? m.Groups[3].Value : first;
            throw new ConfigException("", $"malformed TOML at {where}: {what} (see https://toml.io for the syntax)", e);
        }
        var doc = Tomlyn.Parsing.SyntaxParser.Parse(text);
        EnsureNoKeyTwice(doc);
        EnsureTableArraysContiguous(doc);
        return new TomlSection(table, "", "the top level", this);
    }

    /// <summary>
    /// Tomlyn 2.10 keeps only the last run of an array of tables whose <c>[[name]]</c> blocks are interrupted by another
    /// table (valid TOML), which would silently drop, say, the first [[potential.pairs]]. Refuse such configs instead.
    /// </summary>
    private void EnsureTableArraysContiguous(DocumentSyntax doc)
    {
        var headers = doc.Tables.Select(t => (Path: KeyPath(t.Name), Array: t is TableArraySyntax, Line: t.Span.Start.Line + 1)).ToList();
        var closed = new Dictionary<string, string>(StringComparer.Ordinal);
        string? open = null;
        foreach (var (path, isArray, line) in headers)
        {
            if (path is null) continue;
            if (open is not null && path != open && !path.StartsWith(open + ".", StringComparison.Ordinal))
            {
                closed[open] = path;
                open = null;
            }
            if (!isArray) continue;
            if (closed.TryGetValue(path, out var between))
                throw new ConfigException($"[[{path}]]",
                    $"[[{path}]] at {Name}:{line} is separated from the earlier [[{path}]] blocks by [{between}]; keep all [[{path}]] blocks together, one after another");
            open = path;
        }
    }

    /// <summary>
    /// TOML forbids defining a key twice, or a [table] twice; Tomlyn 2.10 keeps the last value instead, so that a
    /// config with <c>steps = 200</c> and later <c>steps = 300</c> ran 300 steps without a word. Refuse such configs.
    /// </summary>
    private void EnsureNoKeyTwice(DocumentSyntax doc)
    {
        CheckKeys(doc.KeyValues, "the top level");
        var tables = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var table in doc.Tables)
        {
            if (KeyPath(table.Name) is not { } path) continue;
            var line = table.Span.Start.Line + 1;
            // A new [[p]] element opens its own [p.x] sub-tables: those of the element before are no repeats.
            if (table is TableArraySyntax)
                foreach (var below in tables.Keys.Where(k => k.StartsWith(path + ".", StringComparison.Ordinal)).ToList()) tables.Remove(below);
            if (table is not TableArraySyntax && !tables.TryAdd(path, line))
                throw new ConfigException($"[{path}]", $"[{path}] at {Name}:{line} is defined a second time (first at line {tables[path]}); merge the two");
            CheckKeys(table.Items, table is TableArraySyntax ? $"[[{path}]]" : $"[{path}]");
        }
    }

    private void CheckKeys(IEnumerable<KeyValueSyntax> items, string table)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (KeyPath(item.Key) is not { } key) continue;
            var line = item.Span.Start.Line + 1;
            if (!seen.TryAdd(key, line))
                throw new ConfigException(key, $"{table}: key \"{key}\" at {Name}:{line} is set a second time (first at line {seen[key]}); keep one");
        }
    }

    private static string? KeyPath(KeySyntax? key)
    {
        if (key is null) return null;
        var parts = new List<string> { KeyText(key.Key) };
        foreach (var dot in key.DotKeys) parts.Add(KeyText(dot.Key));
        return string.Join('.', parts);
    }

    private static string KeyText(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax b => b.Key?.Text ?? "",
        StringValueSyntax v => v.Value ?? "",
        _ => "",
    };

    /// <summary>A path from the config, resolved against <see cref="BaseDirectory"/> unless absolute.</summary>
    public string Resolve(string path) => System.IO.Path.GetFullPath(path, BaseDirectory);

    [GeneratedRegex(@"^\((\d+),(\d+)\)\s*:\s*error\s*:\s*(.*)$")]
    private static partial Regex Diagnostic();
}
