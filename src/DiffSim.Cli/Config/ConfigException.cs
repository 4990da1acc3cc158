namespace DiffSim.Cli.Config;

/// <summary>
/// A config that cannot be run: malformed TOML, an unknown or missing key, a value out of range, a missing file.
/// <see cref="Key"/> names the offending key as the user wrote it (e.g. <c>[system].density</c>); the message says
/// what is wrong and how to fix it, on one line.
/// </summary>
public sealed class ConfigException(string key, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The offending key, as <c>[table].key</c>; empty when the problem is not one key's (malformed TOML).</summary>
    public string Key { get; } = key;
}
