using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffSim.Numerics;
using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// Wrapped positions copied in cell order (a <see cref="CellList"/> of at least 5 cells per edge, x fastest), in double
/// precision and as the screen's fixed-point fractions (<see cref="FixedPointScreen"/>): the cells of one row along x are one contiguous run of particles, so that the forward half of
/// a cell's 5³ stencil is at most 26 runs rather than 62 cells.
/// </summary>
/// <remarks>
/// Positions are followed by ghosts up to a whole vector past the end (NaN in double precision, so that they fail every
/// test), so that a vector loaded at a run's last particles stays inside the arrays; <see cref="Order"/> maps a slot to
/// its particle (ghosts to particle 0, never a pair).
/// </remarks>
internal sealed class CellRows
{
    /// <summary>Stencil reach in cells: cells of at least half the cutoff.</summary>
    public const int Reach = 2;

    /// <summary>Runs (begin, end) of one cell's forward half-stencil: the own row (first) and 12 others, each split once at most where it wraps.</summary>
    public const int MaxRunEntries = 2 * (1 + 2 * 12 + 1);

    private readonly CellList _cells = new();
    private int[] _wrapY = [], _wrapZ = [];

    public int Nx => _cells.Nx;
    public int Ny => _cells.Ny;
    public int Nz => _cells.Nz;

    /// <summary>Particles binned (the slots before the ghosts).</summary>
    public int Count { get; private set; }

    /// <summary>The first slot of each cell, and one past the last cell's end.</summary>
    public int[] Start => _cells.Start;

    public double[] X { get; private set; } = [];
    public double[] Y { get; private set; } = [];
    public double[] Z { get; private set; } = [];
    /// <summary>The fixed-point x and y of each slot, packed (<see cref="FixedPointScreen.Pack(int, int)"/>), and z.</summary>
    public int[] Xy { get; private set; } = [];
    public int[] Zq { get; private set; } = [];

    /// <summary>The particle in each slot.</summary>
    public int[] Order { get; private set; } = [];

    /// <summary>The slots of the runs last passed to <see cref="Gather"/>, one after another, and their fixed-point positions.</summary>
    public int[] NearSlot { get; private set; } = [];
    public int[] NearXy { get; private set; } = [];
    public int[] NearZ { get; private set; } = [];

    /// <summary>Bins positions wrapped into the box (every edge at least 5 cells of <paramref name="cell"/>) and copies them in cell order.</summary>
    public void Build(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, Box box, double cell)
    {
        var n = Count = x.Length;
        _cells.Build(x, y, z, box, cell);
        if (Math.Min(Nx, Math.Min(Ny, Nz)) < 2 * Reach + 1) throw new ArgumentException("The 5³ stencil needs at least 5 cells per edge.", nameof(cell));
        if (_wrapY.Length != Ny + 2 * Reach) _wrapY = Wraps(Ny);
        if (_wrapZ.Length != Nz + 2 * Reach) _wrapZ = Wraps(Nz);

        var padded = n + Vector256<float>.Count;
        if (X.Length != padded)
        {
            (X, Y, Z) = (Ghosted.Doubles(n), Ghosted.Doubles(n), Ghosted.Doubles(n));
            (Xy, Zq) = (new int[padded], new int[padded]);
            Order = new int[padded];
            NearSlot = new int[padded]; NearXy = new int[padded]; NearZ = new int[padded];
        }
        var sorted = _cells.Sorted;
        sorted.CopyTo(Order, 0);
        var (sx, sy, sz) = FixedPointScreen.Scales(box);
        for (var s = 0; s < n; s++)
        {
            var i = sorted[s];
            X[s] = x[i]; Y[s] = y[i]; Z[s] = z[i];
            Xy[s] = FixedPointScreen.Pack(FixedPointScreen.Fraction(x[i], sx), FixedPointScreen.Fraction(y[i], sy));
            Zq[s] = FixedPointScreen.Fraction(z[i], sz);
        }
    }

    /// <summary>
    /// The runs of cell (cx, cy, cz)'s forward half-stencil, as (begin, end) slot pairs: offsets (dx, dy, dz) with
    /// |d| ≤ 2 after (0, 0, 0) in (dz, dy, dx) order, so that of d and −d exactly one is here and each pair of cells is
    /// met once. The first run is the own row's, from the cell's start to two cells on: a particle's own run begins
    /// just after it instead. Returns the number of entries (at most <see cref="MaxRunEntries"/>); empty runs are left out
    /// except the first.
    /// </summary>
    public int ForwardRuns(int cx, int cy, int cz, Span<int> runs)
    {
        var start = Start;
        var own = (cz * Ny + cy) * Nx;
        runs[0] = start[own + cx];
        var k = 2;
        if (cx + Reach < Nx) runs[1] = start[own + cx + Reach + 1];
        else
        {
            runs[1] = start[own + Nx];
            k = Add(runs, k, start[own], start[own + cx + Reach + 1 - Nx]);
        }
        for (var dz = 0; dz <= Reach; dz++)
        {
            var plane = _wrapZ[cz + dz + Reach] * Ny;
            for (var dy = dz == 0 ? 1 : -Reach; dy <= Reach; dy++)
                k = Row(runs, k, (plane + _wrapY[cy + dy + Reach]) * Nx, cx);
        }
        return k;
    }

    /// <summary>
    /// Copies the slots of <paramref name="runs"/> and their positions into <see cref="NearSlot"/> etc., one after another:
    /// the particles of a cell then screen one contiguous row, with one remainder, instead of some 26 short runs each.
    /// Returns the row's length. Whole vectors are copied; each run's overshoot is overwritten by the next run or lies
    /// past the row's end, which the screen masks (the runs hold distinct slots, so the row is no longer than the slots,
    /// and the ghosts pad both).
    /// </summary>
    public int Gather(ReadOnlySpan<int> runs)
    {
        ref var slots = ref MemoryMarshal.GetArrayDataReference(NearSlot);
        ref var nxy = ref MemoryMarshal.GetArrayDataReference(NearXy);
        ref var nz = ref MemoryMarshal.GetArrayDataReference(NearZ);
        ref var xy = ref MemoryMarshal.GetArrayDataReference(Xy);
        ref var z = ref MemoryMarshal.GetArrayDataReference(Zq);
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var length = 0;
        for (var r = 0; r < runs.Length; r += 2)
        {
            int begin = runs[r], end = runs[r + 1];
            for (var b = begin; b < end; b += Vector256<int>.Count)
            {
                var at = (nuint)(length + b - begin);
                (Vector256.Create(b) + lanes).StoreUnsafe(ref slots, at);
                Vector256.LoadUnsafe(ref xy, (nuint)b).StoreUnsafe(ref nxy, at);
                Vector256.LoadUnsafe(ref z, (nuint)b).StoreUnsafe(ref nz, at);
            }
            length += end - begin;
        }
        return length;
    }

    /// <summary>Cells cx − 2 … cx + 2 of the row starting at cell <paramref name="row"/>: one run, or two where the row wraps.</summary>
    private int Row(Span<int> runs, int k, int row, int cx)
    {
        var start = Start;
        int lo = cx - Reach, hi = cx + Reach + 1;
        if (lo < 0) { k = Add(runs, k, start[row + Nx + lo], start[row + Nx]); lo = 0; }
        else if (hi > Nx) { k = Add(runs, k, start[row], start[row + hi - Nx]); hi = Nx; }
        return Add(runs, k, start[row + lo], start[row + hi]);
    }

    private static int Add(Span<int> runs, int k, int begin, int end)
    {
        if (begin == end) return k;
        runs[k] = begin; runs[k + 1] = end;
        return k + 2;
    }

    /// <summary>Entry c + 2 is the cell c wrapped into [0, count), for c from −2 to count + 1: no modulo per cell.</summary>
    private static int[] Wraps(int count)
    {
        var wraps = new int[count + 2 * Reach];
        for (var t = 0; t < wraps.Length; t++) wraps[t] = (t - Reach + count) % count;
        return wraps;
    }
}
