using System.Reflection;

namespace DiffSim.Cli.Commands;

/// <summary>The example configs embedded in the tool (src/DiffSim.Cli/Examples, resources DiffSim.Examples.&lt;name&gt;).</summary>
public static class Examples
{
    public const string Simulate = "simulate.toml";

    /// <summary>The built-in fit: LJ ε and σ from a LAMMPS RDF.</summary>
    public const string Fit = "fit.toml";

    /// <summary>The target RDF of <see cref="Fit"/>.</summary>
    public const string FitTarget = "lj-target.lammps";

    /// <summary>Where the built-in fit example writes, relative to the current folder.</summary>
    public const string FitOutput = "diffsim-out/fit";

    /// <summary>Where the built-in simulate example writes, relative to the current folder.</summary>
    public const string SimulateOutput = "diffsim-out/simulate";

    public static string Read(string name)
    {
        using var stream = typeof(Examples).Assembly.GetManifestResourceStream($"DiffSim.Examples.{name}")
            ?? throw new InvalidOperationException($"embedded example {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IEnumerable<string> Names => typeof(Examples).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("DiffSim.Examples.", StringComparison.Ordinal))
        .Select(n => n["DiffSim.Examples.".Length..]);
}
