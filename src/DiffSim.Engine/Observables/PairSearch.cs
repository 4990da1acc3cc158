using System.Runtime.CompilerServices;
using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Observables;

/// <summary>What a pair enumeration does with each pair: a struct, so the JIT specialises the loop and no call is virtual.</summary>
internal interface IPairVisitor
{
    /// <summary>One unordered pair at distance r, with (dx, dy, dz) the minimum image of x_i − x_j.</summary>
    void Visit(int i, int j, double r, double dx, double dy, double dz);
}

/// <summary>
/// Enumerates every unordered pair closer than a cutoff (minimum image) exactly once, without a delegate call per pair.
/// A cell list with the 13-cell half stencil when every edge holds at least 3 cells; all pairs otherwise (small boxes,
/// where the cutoff is close to half the box and a cell list saves nothing).
/// </summary>
internal sealed class PairSearch
{
    private readonly CellList _cells = new();
    private double[] _x = [], _y = [], _z = [];

    public void ForEachUniquePair<TVisitor>(State state, double cutoff, ref TVisitor visitor) where TVisitor : struct, IPairVisitor
    {
        state.Box.EnsureFits(cutoff);
        var box = state.Box;
        var n = state.Count;
        if (_x.Length != n) { _x = new double[n]; _y = new double[n]; _z = new double[n]; }
        for (var i = 0; i < n; i++)
        {
            _x[i] = Box.Wrap(state.X[i], box.Lx); _y[i] = Box.Wrap(state.Y[i], box.Ly); _z[i] = Box.Wrap(state.Z[i], box.Lz);
        }
        _cells.Build(_x, _y, _z, box, cutoff);
        var r2max = cutoff * cutoff;
        if (!_cells.HasFullStencil)
        {
            for (var i = 0; i < n - 1; i++)
                for (var j = i + 1; j < n; j++) Pair(i, j, box, r2max, ref visitor);
            return;
        }

        var sorted = _cells.Sorted;
        var start = _cells.Start;
        Span<int> stencil = stackalloc int[27];
        for (var c = 0; c < _cells.CellCount; c++)
        {
            int begin = start[c], end = start[c + 1];
            if (begin == end) continue;
            _cells.Stencil(c, stencil);
            for (var a = begin; a < end; a++)
            {
                var i = sorted[a];
                for (var b = a + 1; b < end; b++) Pair(i, sorted[b], box, r2max, ref visitor);
                // Stencil entries 14..26 are the offsets after (0, 0, 0) in (dz, dy, dx) order: each neighbouring
                // cell pair appears in exactly one of the two cells' forward halves.
                for (var s = 14; s < 27; s++)
                {
                    var other = stencil[s];
                    for (var b = start[other]; b < start[other + 1]; b++) Pair(i, sorted[b], box, r2max, ref visitor);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Pair<TVisitor>(int i, int j, Box box, double r2max, ref TVisitor visitor) where TVisitor : struct, IPairVisitor
    {
        var dx = Box.MinimumImage(_x[i] - _x[j], box.Lx);
        var dy = Box.MinimumImage(_y[i] - _y[j], box.Ly);
        var dz = Box.MinimumImage(_z[i] - _z[j], box.Lz);
        var r2 = dx * dx + dy * dy + dz * dz;
        if (r2 < r2max) visitor.Visit(i, j, Math.Sqrt(r2), dx, dy, dz);
    }
}
