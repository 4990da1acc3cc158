using DiffSim.Systems;

namespace DiffSim.IO;

/// <summary>
/// A target RDF read from a file: increasing r and one or more g columns (partials), named from the file's header, or
/// g1, g2, … (a single unnamed column is "g"). <see cref="OnGrid"/> interpolates a partial onto the simulation's bin centres.
/// </summary>
public sealed class RdfTarget
{
    private readonly double[] _r;
    private readonly double[][] _g;
    private readonly string[] _names;

    internal RdfTarget(string source, double[] r, double[][] g, string[] names)
    {
        Source = source;
        _r = r;
        _g = g;
        _names = names;
    }

    /// <summary>The file the target came from (for messages).</summary>
    public string Source { get; }

    /// <summary>The r of each row, strictly increasing.</summary>
    public IReadOnlyList<double> R => _r;

    /// <summary>Column names of the partials.</summary>
    public IReadOnlyList<string> Names => _names;

    public int PartialCount => _g.Length;

    /// <summary>g of one partial at <see cref="R"/>.</summary>
    public IReadOnlyList<double> Partial(int index)
    {
        CheckIndex(index);
        return _g[index];
    }

    /// <summary>
    /// The column of each type pair a ≤ b of <paramref name="typeNames"/> ((0,0), (0,1), …, (1,1), …: the order of a
    /// <see cref="Observables.SmearedRdf"/>'s partials), found by <see cref="IndexOfPair"/>; with one type a single
    /// column is its g whatever its name.
    /// </summary>
    public int[] ColumnsOfPairs(IReadOnlyList<string> typeNames)
    {
        var columns = new List<int>();
        for (var a = 0; a < typeNames.Count; a++)
            for (var b = a; b < typeNames.Count; b++)
                columns.Add(IndexOfPair(typeNames[a], typeNames[b], singleIsTotal: typeNames.Count == 1));
        return [.. columns];
    }

    /// <summary>
    /// The same target with its partials named g_a_b after <paramref name="pairs"/>, in column order: LAMMPS'
    /// <c>compute rdf</c> output numbers its partials g1, g2, … in the order of the compute's type pairs, which the
    /// file does not record, so that <see cref="IndexOfPair"/> can find them by type once they are named.
    /// </summary>
    public RdfTarget WithPairs(IReadOnlyList<(string A, string B)> pairs)
    {
        if (pairs.Count != _g.Length)
            throw new ArgumentException($"{Source}: {pairs.Count} type pairs named for {_g.Length} partial(s) ({Describe()}); name one pair per g column, in the file's order");
        return new RdfTarget(Source, _r, _g, pairs.Select(p => $"g_{p.A}_{p.B}").ToArray());
    }

    /// <summary>Index of the partial named <paramref name="name"/> (case-insensitive; a 1-based column number also works).</summary>
    public int IndexOf(string name)
    {
        for (var p = 0; p < _names.Length; p++)
            if (string.Equals(_names[p], name, StringComparison.OrdinalIgnoreCase)) return p;
        if (int.TryParse(name, out var column) && column >= 1 && column <= _names.Length) return column - 1;
        throw new ArgumentException($"{Source}: no partial \"{name}\"; the file has {Describe()}");
    }

    /// <summary>
    /// Index of the partial for types (a, b) in either order, named g_a_b, a_b, a-b or gab (case-insensitive);
    /// a single-column target stands for the total and matches any pair only when <paramref name="singleIsTotal"/>.
    /// </summary>
    public int IndexOfPair(string typeA, string typeB, bool singleIsTotal = false)
    {
        if (singleIsTotal && _names.Length == 1) return 0;
        foreach (var (x, y) in new[] { (typeA, typeB), (typeB, typeA) })
            foreach (var candidate in new[] { $"g_{x}_{y}", $"{x}_{y}", $"{x}-{y}", $"g{x}{y}", $"g_{x}{y}" })
                for (var p = 0; p < _names.Length; p++)
                    if (string.Equals(_names[p], candidate, StringComparison.OrdinalIgnoreCase)) return p;
        throw new ArgumentException($"{Source}: no partial for the type pair ({typeA}, {typeB}) (looked for g_{typeA}_{typeB}, {typeA}_{typeB}, {typeA}-{typeB} and the reverse); the file has {Describe()}");
    }

    /// <summary>
    /// Partial <paramref name="index"/> linearly interpolated onto <paramref name="centres"/>. Centres outside [rLo, rHi] are
    /// not needed and get NaN. Inside it, a centre beyond the target's last r is an error; one below its first r takes
    /// g = 0 if the target's first g is 0 (the excluded core), and is an error otherwise.
    /// </summary>
    public double[] OnGrid(int index, IReadOnlyList<double> centres, double rLo = double.NegativeInfinity, double rHi = double.PositiveInfinity)
    {
        CheckIndex(index);
        var g = _g[index];
        var result = new double[centres.Count];
        var tolerance = 1e-9 * Math.Max(Math.Abs(_r[^1]), 1.0);
        var row = 0;
        for (var k = 0; k < centres.Count; k++)
        {
            var c = centres[k];
            if (c < rLo || c > rHi) { result[k] = double.NaN; continue; }
            if (c > _r[^1] + tolerance)
                throw new ArgumentException($"{Source}: the target ends at r = {_r[^1]:G6} but g is needed at r = {c:G6}; fit a shorter range or provide a longer target");
            if (c < _r[0])
            {
                if (g[0] == 0 || c > _r[0] - tolerance) { result[k] = g[0]; continue; }
                throw new ArgumentException($"{Source}: the target starts at r = {_r[0]:G6} with g = {g[0]:G6} ≠ 0, but g is needed at r = {c:G6}; raise the fitted range's lower end");
            }
            // Centres are usually increasing: walk on from the last row, restarting when they are not.
            if (row > 0 && _r[row] > c) row = 0;
            while (row < _r.Length - 2 && _r[row + 1] < c) row++;
            if (c >= _r[^1]) { result[k] = g[^1]; continue; }
            var f = (c - _r[row]) / (_r[row + 1] - _r[row]);
            result[k] = g[row] + f * (g[row + 1] - g[row]);
        }
        return result;
    }

    /// <summary>
    /// Throws when the target (or the part of it up to <paramref name="rUsed"/>) reaches beyond half the box's shortest edge,
    /// where a minimum-image RDF of that box does not exist to compare with.
    /// </summary>
    public void CheckFits(Box box, double rUsed = double.PositiveInfinity)
    {
        var reach = Math.Min(_r[^1], rUsed);
        var half = 0.5 * box.MinEdge;
        if (reach > half * (1 + 1e-12))
            throw new ArgumentException($"{Source}: the target's r reaches {reach:G6} but half the box's shortest edge is {half:G6}: the simulated RDF only exists up to there; fit r ≤ {half:G6} or use a larger box");
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)_g.Length)
            throw new ArgumentException($"{Source}: no partial number {index + 1}; the file has {Describe()}");
    }

    private string Describe() => _names.Length == 1 ? $"one g column ({_names[0]})" : $"{_names.Length} g columns ({string.Join(", ", _names)})";
}
