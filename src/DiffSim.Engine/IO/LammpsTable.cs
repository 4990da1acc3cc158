using System.Globalization;
using System.Text;

namespace DiffSim.IO;

/// <summary>
/// LAMMPS <c>pair_style table</c> files: a section per keyword, a parameter line <c>N n [R|RSQ lo hi]</c>,
/// a blank line, then n lines <c>index r energy force</c>.
/// </summary>
public static class LammpsTable
{
    /// <summary>Reads the (r, u) points of one section of a table file.</summary>
    public static (double[] R, double[] U) Read(string path, string? keyword = null)
    {
        InputFile.Require(path, "table file");
        var lines = File.ReadAllLines(path);
        var k = 0;
        while (k < lines.Length)
        {
            var line = lines[k].Trim();
            k++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var name = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            // The section header is followed by the parameter line.
            var header = k < lines.Length ? lines[k].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
            if (header.Length < 2 || header[0] != "N") continue;
            if (!int.TryParse(header[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 2)
                throw new FormatException($"{path}:{k + 1}: section {name}: expected \"N n\" with n at least 2 points, found \"{lines[k].Trim()}\"");
            if (keyword is not null && name != keyword) { k += n + 1; continue; }
            k++;
            var r = new double[n];
            var u = new double[n];
            var got = 0;
            while (k < lines.Length && got < n)
            {
                var parts = lines[k++].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0) continue;
                if (parts.Length < 3) throw new FormatException($"{path}:{k}: expected 'index r energy force'");
                r[got] = Number(parts[1], path, k, "r");
                u[got] = Number(parts[2], path, k, "energy");
                got++;
            }
            if (got < n) throw new FormatException($"{path}: section {name} declares N {n} but has {got} lines");
            return (r, u);
        }
        throw new FormatException(keyword is null ? $"{path}: no table section found" : $"{path}: no section \"{keyword}\"");
    }

    private static double Number(string text, string path, int line, string what)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new FormatException($"{path}:{line}: the {what} \"{text}\" is not a finite number");

    /// <summary>Writes one section with energies and forces (−du/dr) at n points evenly spaced in r.</summary>
    public static void Write(TextWriter writer, string keyword, IReadOnlyList<double> r, IReadOnlyList<double> u, IReadOnlyList<double> force, string comment)
    {
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(comment);
        sb.AppendLine();
        sb.AppendLine(keyword);
        sb.Append(CultureInfo.InvariantCulture, $"N {r.Count} R {r[0]:R} {r[^1]:R}").AppendLine();
        sb.AppendLine();
        for (var k = 0; k < r.Count; k++)
            sb.Append(CultureInfo.InvariantCulture, $"{k + 1} {r[k]:R} {u[k]:R} {force[k]:R}").AppendLine();
        writer.Write(sb.ToString());
    }
}
