using System.Globalization;
using System.Text;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.IO;

/// <summary>
/// Writes radial distribution functions as CSV: a <c>#</c> comment line with the units and the number of frames,
/// then the header <c>r,g_A_A,g_A_B,g_B_B,...</c> (every type pair a ≤ b, in type order), then one row per bin
/// with the bin centre.
/// </summary>
public static class RdfCsvWriter
{
    /// <summary>Column name of the pair (a, b).</summary>
    public static string Column(string a, string b) => $"g_{a}_{b}";

    /// <summary>Writes every a ≤ b pair of <paramref name="histogram"/>, normalised with the particle counts and volume of <paramref name="state"/>.</summary>
    public static void Write(string path, PairHistogram histogram, State state)
    {
        var columns = new List<(string Name, double[] Values)>();
        for (var a = 0; a < histogram.TypeCount; a++)
            for (var b = a; b < histogram.TypeCount; b++)
                columns.Add((Column(state.Types[a].Name, state.Types[b].Name), histogram.Rdf(state, a, b)));
        Write(path, histogram.Centres(), columns, $"units {state.Units.Name}: r in {state.Units.LengthUnit}; g(r) averaged over {histogram.Frames} frames");
    }

    /// <summary>
    /// Writes bin centres and named columns of equal length; a value that is not a finite number (a target beyond its
    /// file's range) is left empty.
    /// </summary>
    public static void Write(string path, IReadOnlyList<double> r, IReadOnlyList<(string Name, double[] Values)> columns, string comment)
    {
        foreach (var (name, values) in columns)
            if (values.Length != r.Count) throw new ArgumentException($"rdf column {name} has {values.Length} values for {r.Count} bins");
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(comment);
        sb.Append('r');
        foreach (var (name, _) in columns) sb.Append(',').Append(name);
        sb.AppendLine();
        for (var k = 0; k < r.Count; k++)
        {
            sb.Append(r[k].ToString("R", inv));
            foreach (var (_, values) in columns)
            {
                sb.Append(',');
                if (double.IsFinite(values[k])) sb.Append(values[k].ToString("R", inv));
            }
            sb.AppendLine();
        }
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }
}
