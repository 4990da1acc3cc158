using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// A half Verlet list: every unordered pair closer than range = cutoff + skin stored once, as flat index arrays
/// (<see cref="I"/>, <see cref="J"/>, <see cref="Count"/> entries), for kernels that run on one thread and scatter
/// each pair's term into both partners (the adjoint's force-Jacobian products).
/// </summary>
/// <remarks>
/// Half the pair evaluations of a full list. Built with a counting-sort cell list and the 13-cell forward half of
/// the 27-cell stencil when every edge holds at least 3 cells of the range, over all pairs otherwise (small boxes,
/// where the cells would cover the box anyway). Positions are not wrapped in the state: the list keeps wrapped
/// copies for binning, and kernels take the minimum image. Rebuilt when a particle has moved more than skin/2.
/// </remarks>
public sealed class HalfPairList
{
    private readonly CellList _cells = new();
    private double[] _x0 = [], _y0 = [], _z0 = [];
    private double[] _wx = [], _wy = [], _wz = [];
    private int[] _i = new int[64], _j = new int[64];

    public HalfPairList(double cutoff, double skin)
    {
        if (!(cutoff > 0)) throw new ArgumentException($"cutoff must be positive, got {cutoff}");
        if (!(skin >= 0)) throw new ArgumentException($"neighbour skin must be non-negative, got {skin}");
        Cutoff = cutoff;
        Skin = skin;
    }

    public double Cutoff { get; }
    public double Skin { get; }
    public double Range => Cutoff + Skin;

    /// <summary>First partner of each pair (valid up to <see cref="Count"/>).</summary>
    public int[] I => _i;

    /// <summary>Second partner of each pair.</summary>
    public int[] J => _j;

    /// <summary>Number of stored pairs.</summary>
    public int Count { get; private set; }

    /// <summary>Number of builds so far.</summary>
    public int Builds { get; private set; }

    /// <summary>True when the list has never been built, or some particle moved more than skin/2 since the last build.</summary>
    public bool NeedsRebuild(State state)
    {
        var n = state.Count;
        if (_x0.Length != n) return true;
        var limit = 0.25 * Skin * Skin;
        var x = state.X.AsSpan(0, n); var y = state.Y.AsSpan(0, n); var z = state.Z.AsSpan(0, n);
        var x0 = _x0.AsSpan(0, n); var y0 = _y0.AsSpan(0, n); var z0 = _z0.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            double dx = x[i] - x0[i], dy = y[i] - y0[i], dz = z[i] - z0[i];
            if (dx * dx + dy * dy + dz * dz > limit) return true;
        }
        return false;
    }

    /// <summary>Makes the next <see cref="NeedsRebuild"/> true.</summary>
    public void Invalidate() => _x0 = [];

    public void Build(State state)
    {
        var box = state.Box;
        var range = Range;
        box.EnsureFits(Cutoff);
        var n = state.Count;
        if (_wx.Length != n)
        {
            _wx = new double[n]; _wy = new double[n]; _wz = new double[n];
            _x0 = new double[n]; _y0 = new double[n]; _z0 = new double[n];
        }
        else if (_x0.Length != n) { _x0 = new double[n]; _y0 = new double[n]; _z0 = new double[n]; }
        for (var i = 0; i < n; i++)
        {
            _wx[i] = Box.Wrap(state.X[i], box.Lx); _wy[i] = Box.Wrap(state.Y[i], box.Ly); _wz[i] = Box.Wrap(state.Z[i], box.Lz);
        }
        Count = 0;
        var r2 = range * range;
        // With a skin the range may pass half the box; the minimum image then still finds every pair within the cutoff.
        if (2 * range <= box.MinEdge && (int)(box.Lx / range) >= 3 && (int)(box.Ly / range) >= 3 && (int)(box.Lz / range) >= 3)
            BuildCells(box, r2);
        else
            for (var i = 0; i < n - 1; i++) Scan(i, i + 1, n, box, r2);

        state.X.AsSpan(0, n).CopyTo(_x0); state.Y.AsSpan(0, n).CopyTo(_y0); state.Z.AsSpan(0, n).CopyTo(_z0);
        Builds++;
    }

    private void BuildCells(Box box, double r2)
    {
        _cells.Build(_wx, _wy, _wz, box, Range);
        var start = _cells.Start;
        var sorted = _cells.Sorted;
        int nx = _cells.Nx, ny = _cells.Ny, nz = _cells.Nz;
        for (var c = 0; c < _cells.CellCount; c++)
        {
            int begin = start[c], end = start[c + 1];
            if (begin == end) continue;
            int cx = c % nx, cy = c / nx % ny, cz = c / (nx * ny);
            for (var a = begin; a < end; a++)
            {
                var i = sorted[a];
                for (var b = a + 1; b < end; b++) Test(i, sorted[b], box, r2);
            }
            // The 13 offsets after (0, 0, 0) in (dz, dy, dx) order: of d and −d exactly one, so each cell pair once.
            for (var dz = 0; dz <= 1; dz++)
                for (var dy = dz == 0 ? 0 : -1; dy <= 1; dy++)
                    for (var dx = dz == 0 && dy == 0 ? 1 : -1; dx <= 1; dx++)
                    {
                        var other = ((cz + dz + nz) % nz * ny + (cy + dy + ny) % ny) * nx + (cx + dx + nx) % nx;
                        int ob = start[other], oe = start[other + 1];
                        for (var a = begin; a < end; a++)
                        {
                            var i = sorted[a];
                            for (var b = ob; b < oe; b++) Test(i, sorted[b], box, r2);
                        }
                    }
        }
    }

    private void Scan(int i, int j0, int j1, Box box, double r2)
    {
        double xi = _wx[i], yi = _wy[i], zi = _wz[i];
        double lx = box.Lx, ly = box.Ly, lz = box.Lz;
        var wx = _wx; var wy = _wy; var wz = _wz;
        for (var j = j0; j < j1; j++)
        {
            var dx = Box.MinimumImage(xi - wx[j], lx);
            var dy = Box.MinimumImage(yi - wy[j], ly);
            var dz = Box.MinimumImage(zi - wz[j], lz);
            if (dx * dx + dy * dy + dz * dz < r2) Add(i, j);
        }
    }

    private void Test(int i, int j, Box box, double r2)
    {
        var dx = Box.MinimumImage(_wx[i] - _wx[j], box.Lx);
        var dy = Box.MinimumImage(_wy[i] - _wy[j], box.Ly);
        var dz = Box.MinimumImage(_wz[i] - _wz[j], box.Lz);
        if (dx * dx + dy * dy + dz * dz < r2) Add(i, j);
    }

    private void Add(int i, int j)
    {
        if (Count == _i.Length)
        {
            Array.Resize(ref _i, 2 * _i.Length);
            Array.Resize(ref _j, 2 * _j.Length);
        }
        _i[Count] = i;
        _j[Count] = j;
        Count++;
    }

    /// <summary>Bytes held by the list.</summary>
    public long Bytes => (long)(_i.Length + _j.Length) * sizeof(int) + 6L * _x0.Length * sizeof(double);
}
