using DiffSim.Cli.Config;

namespace DiffSim.Cli.Commands;

/// <summary>The <c>--output</c> (<c>-o</c>) folder every command takes, resolved against the current folder.</summary>
internal static class OutputOption
{
    public static string Resolve(string value)
        => string.IsNullOrWhiteSpace(value)
            ? throw new ConfigException("--output", "--output (-o): the folder name is empty; name a folder, or leave -o out to use [output].dir")
            : Path.GetFullPath(value);
}
