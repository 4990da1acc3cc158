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
    /// <summary>Reads and parses a config file; a missing or malformed file is a <see cref="ConfigException"/>.</summary>
    public static TomlSection Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ConfigException("", $"config file \"{path}\" not found (looked for {full}); check the path, or run `diffsim simulate` with no argument for the built-in example");
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
        EnsureTableArraysContiguous(text);
        return new TomlSection(table, "", "the top level", this);
    }

    /// <summary>
    /// Tomlyn 2.10 keeps only the last run of an array of tables whose <c>[[name]]</c> blocks are interrupted by another
    /// table (valid TOML), which would silently drop, say, the first [[potential.pairs]]. Refuse such configs instead.
    /// </summary>
    private void EnsureTableArraysContiguous(string text)
    {
        var doc = Tomlyn.Parsing.SyntaxParser.Parse(text);
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
