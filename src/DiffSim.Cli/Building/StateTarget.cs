using DiffSim.Cli.Config;
using DiffSim.IO;

namespace DiffSim.Cli.Building;

/// <summary>A state point's target RDF file, read once for fit and IBI alike.</summary>
internal static class StateTarget
{
    /// <summary>
    /// The target, its columns named by <c>target_pairs</c> when given, and the column of each type pair a ≤ b in
    /// <paramref name="typeNames"/>' order ((0,0), (0,1), …, (1,1), …: the order of the RDF's partials).
    /// </summary>
    public static (RdfTarget Target, int[] Columns) Read(StateConfig sc, IReadOnlyList<string> typeNames)
    {
        try
        {
            var target = RdfTargetReader.Read(sc.Target);
            if (sc.TargetPairs is { } pairs) target = target.WithPairs(pairs);
            return (target, target.ColumnsOfPairs(typeNames));
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            var hint = typeNames.Count > 1 && sc.TargetPairs is null ? " (a LAMMPS compute rdf file numbers its partials: name them with target_pairs = [[\"A\", \"A\"], [\"A\", \"B\"], ...] in the compute's order)" : "";
            throw new ConfigException("[[state]].target", $"[[state]].target of {sc.Name}: {e.Message}{hint}");
        }
    }
}
