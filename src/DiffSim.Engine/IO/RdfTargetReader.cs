using System.Globalization;

namespace DiffSim.IO;

/// <summary>How <see cref="RdfTargetReader.ReadLammps"/> treats a file with several <c>fix ave/time</c> blocks.</summary>
public enum LammpsRdfBlocks
{
    /// <summary>The last block (the longest average when the fix runs over the whole production).</summary>
    Last,

    /// <summary>The mean of all blocks (which must share their r grid).</summary>
    Average,
}

/// <summary>
/// Reads target RDFs: CSV tables (r, g) or (r, g_A_A, g_A_B, …), and LAMMPS <c>fix ave/time … mode vector</c> output of
/// <c>compute rdf</c>. Errors name the file and the line.
/// </summary>
public static class RdfTargetReader
{
    /// <summary>Reads by extension: <c>.csv</c> as CSV, anything else as LAMMPS ave/time output.</summary>
    public static RdfTarget Read(string path, LammpsRdfBlocks blocks = LammpsRdfBlocks.Last)
        => string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(path) : ReadLammps(path, blocks);

    /// <summary>
    /// A table with r in the first column and one g per further column, separated by commas (or by whitespace when a line
    /// has no comma). An optional header row names the columns; lines starting with '#' and blank lines are skipped.
    /// </summary>
    public static RdfTarget ReadCsv(string path)
    {
        var lines = ReadLines(path);
        string[]? header = null;
        var rows = new List<double[]>();
        var lineOfRow = new List<int>();
        for (var k = 0; k < lines.Length; k++)
        {
            var text = lines[k].Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var fields = Split(text, path, k + 1);
            if (header is null && rows.Count == 0 && !IsNumber(fields[0]))
            {
                header = fields;
                if (header.Length < 2) throw new FormatException($"{path}:{k + 1}: the header names {header.Length} column; expected r and at least one g column");
                continue;
            }
            var expected = header?.Length ?? (rows.Count > 0 ? rows[0].Length : fields.Length);
            if (fields.Length < 2) throw new FormatException($"{path}:{k + 1}: found {fields.Length} column; expected r and at least one g column");
            if (fields.Length != expected)
                throw new FormatException($"{path}:{k + 1}: found {fields.Length} columns, expected {expected} ({(header is null ? "as on the first data line" : "as named by the header")})");
            rows.Add(ParseFields(fields, 0, path, k + 1));
            lineOfRow.Add(k + 1);
        }
        if (rows.Count == 0) throw new FormatException($"{path}: no data rows (the file is empty or holds only comments{(header is null ? "" : " and a header")})");

        var columns = rows[0].Length - 1;
        var r = new double[rows.Count];
        var g = new double[columns][];
        for (var c = 0; c < columns; c++) g[c] = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            r[i] = rows[i][0];
            for (var c = 0; c < columns; c++) g[c][i] = rows[i][c + 1];
        }
        CheckIncreasing(r, path, i => lineOfRow[i]);
        var names = header is not null ? header[1..] : columns == 1 ? ["g"] : Enumerable.Range(1, columns).Select(c => $"g{c}").ToArray();
        // A pair density is never negative; a slightly negative value would be round-off of a processed file, so only
        // values below −10⁻⁶ are taken for a wrong column or sign.
        for (var c = 0; c < columns; c++)
            for (var i = 0; i < rows.Count; i++)
                if (g[c][i] < -1e-6)
                    throw new FormatException(FormattableString.Invariant($"{path}:{lineOfRow[i]}: {names[c]} = {g[c][i]} is negative; an RDF is zero or more (is this the right column?)"));
        return new RdfTarget(path, r, g, names);
    }

    /// <summary>
    /// <c>fix ave/time … c_rdf[*] … mode vector</c> output of <c>compute rdf</c>: '#' comment lines, then blocks of a line
    /// "timestep nrows" and nrows lines "row r g coord [g coord …]". The partials (named g1, g2, … in the order of the
    /// compute's type pairs) are the g columns; the coordination columns are dropped.
    /// </summary>
    public static RdfTarget ReadLammps(string path, LammpsRdfBlocks blocks = LammpsRdfBlocks.Last)
    {
        var lines = ReadLines(path);
        double[]? r = null;
        double[][]? sum = null;
        var blockCount = 0;
        var rLine = 0;
        var k = 0;
        while (true)
        {
            // Block header "timestep nrows".
            while (k < lines.Length && IsBlank(lines[k])) k++;
            if (k >= lines.Length) break;
            var head = Split(lines[k].Trim(), path, k + 1);
            if (head.Length != 2 || !long.TryParse(head[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)
                || !int.TryParse(head[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var nrows) || nrows < 1)
                throw new FormatException($"{path}:{k + 1}: expected a block header \"timestep nrows\", found \"{lines[k].Trim()}\"");
            var headLine = k + 1;
            k++;

            var blockR = new double[nrows];
            double[][]? blockG = null;
            var rowLines = new int[nrows];
            var fieldCount = 0;
            for (var row = 0; row < nrows; row++)
            {
                while (k < lines.Length && IsBlank(lines[k])) k++;
                if (k >= lines.Length)
                    throw new FormatException($"{path}:{headLine}: block at timestep {step} declares {nrows} rows but the file ends after {row}");
                var fields = Split(lines[k].Trim(), path, k + 1);
                if (row == 0)
                {
                    fieldCount = fields.Length;
                    if (fieldCount < 4 || fieldCount % 2 != 0)
                        throw new FormatException($"{path}:{k + 1}: found {fieldCount} columns; expected \"row r g coord [g coord ...]\" (an even number, at least 4)");
                    blockG = new double[(fieldCount - 2) / 2][];
                    for (var p = 0; p < blockG.Length; p++) blockG[p] = new double[nrows];
                }
                else if (fields.Length != fieldCount)
                {
                    throw new FormatException($"{path}:{k + 1}: found {fields.Length} columns, expected {fieldCount} as on the block's first row (or the block has fewer than the {nrows} rows its header declares)");
                }
                var values = ParseFields(fields, 1, path, k + 1);
                blockR[row] = values[0];
                for (var p = 0; p < blockG!.Length; p++) blockG[p][row] = values[1 + 2 * p];
                rowLines[row] = k + 1;
                k++;
            }
            CheckIncreasing(blockR, path, i => rowLines[i]);

            if (blocks == LammpsRdfBlocks.Last || r is null)
            {
                if (r is not null && blockG!.Length != sum!.Length)
                    throw new FormatException($"{path}:{headLine}: block at timestep {step} has {blockG.Length} partials, earlier blocks {sum.Length}");
                r = blockR;
                sum = blockG!;
                rLine = rowLines[0];
            }
            else
            {
                if (blockR.Length != r.Length || blockG!.Length != sum!.Length)
                    throw new FormatException($"{path}:{headLine}: block at timestep {step} has {blockR.Length} rows and {blockG!.Length} partials, the first block {r.Length} and {sum!.Length}; blocks can only be averaged on one grid");
                for (var i = 0; i < r.Length; i++)
                    if (Math.Abs(blockR[i] - r[i]) > 1e-9 * Math.Max(1.0, Math.Abs(r[i])))
                        throw new FormatException($"{path}:{rowLines[i]}: r = {blockR[i]:G9} differs from the first block's r = {r[i]:G9} (line {rLine + i}); blocks can only be averaged on one grid");
                for (var p = 0; p < sum.Length; p++)
                    for (var i = 0; i < r.Length; i++) sum[p][i] += blockG[p][i];
            }
            blockCount++;
        }
        if (blockCount == 0) throw new FormatException($"{path}: no data blocks (the file is empty or holds only comments)");
        if (blocks == LammpsRdfBlocks.Average)
            foreach (var g in sum!)
                for (var i = 0; i < g.Length; i++) g[i] /= blockCount;
        var names = Enumerable.Range(1, sum!.Length).Select(p => $"g{p}").ToArray();
        return new RdfTarget(path, r!, sum, names);
    }

    private static string[] ReadLines(string path)
    {
        InputFile.Require(path, "target rdf file");
        return File.ReadAllLines(path);
    }

    private static bool IsBlank(string line)
    {
        var t = line.AsSpan().Trim();
        return t.Length == 0 || t[0] == '#';
    }

    private static string[] Split(string text, string path, int line)
    {
        if (!text.Contains(',')) return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var fields = text.Split(',');
        for (var c = 0; c < fields.Length; c++)
        {
            fields[c] = fields[c].Trim();
            if (fields[c].Length == 0) throw new FormatException($"{path}:{line}: column {c + 1} is empty");
        }
        return fields;
    }

    private static bool IsNumber(string field) => double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static double[] ParseFields(string[] fields, int from, string path, int line)
    {
        var values = new double[fields.Length - from];
        for (var c = from; c < fields.Length; c++)
        {
            if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new FormatException($"{path}:{line}: column {c + 1} (\"{fields[c]}\") is not a finite number");
            values[c - from] = v;
        }
        return values;
    }

    private static void CheckIncreasing(double[] r, string path, Func<int, int> lineOf)
    {
        for (var i = 1; i < r.Length; i++)
            if (!(r[i] > r[i - 1]))
                throw new FormatException($"{path}:{lineOf(i)}: r = {r[i]:G9} does not increase (previous r = {r[i - 1]:G9} on line {lineOf(i - 1)}); r must be strictly increasing");
    }
}
