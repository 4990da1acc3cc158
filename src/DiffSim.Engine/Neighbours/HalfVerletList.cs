using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// The forward kernel's neighbour list: particles sorted into cells (slot order), the periodic images that the
/// half stencil reaches appended as extra slots, and for each particle's slot i its partners within r_c + skin,
/// each unordered pair once (Newton's third law), padded to a multiple of <see cref="Padding"/> with
/// <see cref="DummySlot"/>. A partner is stored as 4 × its slot: the offset of its packed (x, y, z, w) quadruple.
/// </summary>
/// <remarks>
/// <para>Cells are at least r_c + skin wide and numbered z-major, so a row of cells along x is one contiguous run
/// of slots. Each cell searches its own later slots and the 13 cells of the forward half stencil (dz &gt; 0, or
/// dz = 0 and dy &gt; 0, or dz = dy = 0 and dx &gt; 0), which merge into 5 contiguous runs in the interior.</para>
/// <para>Periodic boundaries are images, not minimum-image arithmetic: a forward stencil cell beyond the ±x, ±y,
/// +z faces is a translated copy of the cell it wraps to, held in slots after the particles' (LAMMPS' ghost
/// atoms). A pair whose cell offset is backward is found from its other partner, whose forward stencil then reaches
/// the image; so each pair within range is listed once for every separation vector shorter than the range. With
/// fewer than 3 cells along an edge a pair can appear through two images, at most one of which is within the
/// cutoff when the box is at least twice the cutoff (the kernel masks the other).</para>
/// <para>The distance tests run 8 slots at a time over the contiguous runs, and the slots inside the range are
/// compress-stored with a 256-entry permutation table (AVX2), or bit by bit elsewhere.</para>
/// <para>The build's loops are compiled fully optimised at their first call: a run rebuilds too rarely for tiered
/// compilation to replace its Tier0 and on-stack-replacement code.</para>
/// </remarks>
[SkipLocalsInit]
public sealed unsafe class HalfVerletList
{
    private const int Lanes = 8;

    /// <summary>Below this many particles a build is too short to pay for handing cells to other threads.</summary>
    private const int ParallelParticles = 8192;

    /// <summary>Forward stencil offsets (dx, dy, dz), in the order that makes contiguous slot runs adjacent.</summary>
    private static readonly (int X, int Y, int Z)[] Forward =
    [
        (1, 0, 0),
        (-1, 1, 0), (0, 1, 0), (1, 1, 0),
        (-1, -1, 1), (0, -1, 1), (1, -1, 1),
        (-1, 0, 1), (0, 0, 1), (1, 0, 1),
        (-1, 1, 1), (0, 1, 1), (1, 1, 1),
    ];

    /// <summary>Row m: 4 × the lane numbers of the set bits of m (partner offsets count 4 per slot), first, for the compress store.</summary>
    private static readonly int[] CompressTable = BuildCompressTable();

    private readonly DisplacementCheck _moved;
    private float[] _bx = [], _by = [], _bz = [];
    private int[] _cellStart = [], _extStart = [], _extEnd = [], _cellOf = [];
    private int[][] _chunkNeighbours = [];
    private int[] _chunkCount = [];
    private int _nx, _ny, _nz;

    /// <param name="padding">Each particle's partners are padded to a multiple of this (the kernel's vector width).</param>
    /// <param name="maxCutoff">Largest interaction cutoff (length units).</param>
    /// <param name="skin">Extra list range beyond the cutoff (length units).</param>
    public HalfVerletList(int padding, double maxCutoff, double skin)
    {
        if (padding < 1) throw new ArgumentException($"padding must be at least 1, got {padding}");
        if (!(maxCutoff > 0)) throw new ArgumentException($"the cutoff must be positive, got {maxCutoff}");
        if (!(skin >= 0)) throw new ArgumentException($"neighbour skin must be non-negative, got {skin}");
        Padding = padding;
        MaxCutoff = maxCutoff;
        Skin = skin;
        _moved = new DisplacementCheck(skin);
    }

    public int Padding { get; }
    public double MaxCutoff { get; }
    public double Skin { get; }

    /// <summary>Range of the list: r_c + skin.</summary>
    public double Range => MaxCutoff + Skin;

    /// <summary>Number of particles: slots 0 to ParticleCount − 1 hold them, in cell order.</summary>
    public int ParticleCount => Order.Length;

    /// <summary>Particle index of each of the first <see cref="ParticleCount"/> slots.</summary>
    public int[] Order { get; private set; } = [];

    /// <summary>Image k (slot ParticleCount + k) is a copy of slot <c>ImageSource[k]</c> translated by <see cref="ShiftOf"/>(<c>ImageShift[k]</c>) box lengths.</summary>
    public int[] ImageSource { get; private set; } = [];

    /// <inheritdoc cref="ImageSource"/>
    public int[] ImageShift { get; private set; } = [];

    public int ImageCount { get; private set; }

    /// <summary>Particles, images and the dummy slot.</summary>
    public int SlotCount => ParticleCount + ImageCount + 1;

    /// <summary>The padding partner: a slot placed far from every other (<see cref="DummyPosition"/>), so no cutoff test passes.</summary>
    public int DummySlot => ParticleCount + ImageCount;

    /// <summary>Coordinate (the same on every axis) of <see cref="DummySlot"/>: more than the range outside every image.</summary>
    public double DummyPosition { get; private set; }

    /// <summary>Type of the particle in each slot (0 for the dummy).</summary>
    public int[] SlotType { get; private set; } = [];

    /// <summary>The partners of slot i are <c>Neighbours[NeighbourStart[i]..NeighbourStart[i+1]]</c>, a multiple of <see cref="Padding"/> long, each as 4 × slot.</summary>
    public int[] NeighbourStart { get; private set; } = [0];

    public int[] Neighbours { get; private set; } = [];

    /// <summary>Listed entries, padding included.</summary>
    public int EntryCount => NeighbourStart[^1];

    /// <summary>Number of builds so far.</summary>
    public int Builds { get; private set; }

    /// <summary>The image shift (−1, 0 or 1 box lengths per axis) of shift index s.</summary>
    public static (int X, int Y, int Z) ShiftOf(int s) => (s / 9 - 1, s / 3 % 3 - 1, s % 3 - 1);

    private static int ShiftIndex(int sx, int sy, int sz) => (sx + 1) * 9 + (sy + 1) * 3 + (sz + 1);

    /// <summary>Makes the next <see cref="NeedsRebuild"/> true, so a run restarted from saved positions builds the same list as the uninterrupted one.</summary>
    public void Invalidate() => _moved.Invalidate();

    /// <summary>True when the list has never been built for this many particles, or some particle moved more than skin/2 since the last build.</summary>
    public bool NeedsRebuild(State state) => _moved.NeedsRebuild(state);

    /// <summary>Wraps positions into the box, sorts the particles into cells, places the images and finds the pairs; in parallel over fixed chunks of cells (the list does not depend on the thread count).</summary>
    public void Build(State state, int threads = 1)
    {
        var box = state.Box;
        box.EnsureFits(MaxCutoff);
        state.WrapPositions();
        _nx = Math.Max(1, (int)(box.Lx / Range));
        _ny = Math.Max(1, (int)(box.Ly / Range));
        _nz = Math.Max(1, (int)(box.Lz / Range));
        SortIntoCells(state);
        PlaceImages();
        SetSlotPositions(state);
        Search(threads);
        _moved.Remember(state);
        Builds++;
    }

    /// <summary>Counting sort of the particles by cell: cell c (z-major) holds slots <c>_cellStart[c].._cellStart[c+1]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SortIntoCells(State state)
    {
        var n = state.Count;
        var box = state.Box;
        var cells = _nx * _ny * _nz;
        Resize(ref _cellStart, cells + 1);
        Array.Clear(_cellStart);
        if (Order.Length != n) { Order = new int[n]; _cellOf = new int[n]; }
        double sx = _nx / box.Lx, sy = _ny / box.Ly, sz = _nz / box.Lz;
        for (var i = 0; i < n; i++)
        {
            var cx = Math.Min((int)(state.X[i] * sx), _nx - 1);
            var cy = Math.Min((int)(state.Y[i] * sy), _ny - 1);
            var cz = Math.Min((int)(state.Z[i] * sz), _nz - 1);
            var c = (cz * _ny + cy) * _nx + cx;
            _cellOf[i] = c;
            _cellStart[c + 1]++;
        }
        for (var c = 0; c < cells; c++) _cellStart[c + 1] += _cellStart[c];
        // Filling advances each start to the next cell's start; shifting by one cell afterwards restores them.
        for (var i = 0; i < n; i++) Order[_cellStart[_cellOf[i]]++] = i;
        for (var c = cells; c > 0; c--) _cellStart[c] = _cellStart[c - 1];
        _cellStart[0] = 0;
    }

    /// <summary>
    /// The extended grid: x and y from −1 to n, z from 0 to n (the forward stencil reaches no further). Real cells
    /// map to their slots; every other cell that some real cell's forward stencil reaches gets image slots, in
    /// extended-cell order after the particles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PlaceImages()
    {
        int ex = _nx + 2, ey = _ny + 2, ez = _nz + 1;
        var extended = ex * ey * ez;
        Resize(ref _extStart, extended);
        Resize(ref _extEnd, extended);
        var n = Order.Length;
        var images = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            var slot = n;
            for (var gz = 0; gz < ez; gz++)
            for (var gy = -1; gy <= _ny; gy++)
            for (var gx = -1; gx <= _nx; gx++)
            {
                var e = ExtendedCell(gx, gy, gz);
                int cx = Wrap(gx, _nx), cy = Wrap(gy, _ny), cz = Wrap(gz, _nz);
                var real = RealCell(cx, cy, cz);
                if (cx == gx && cy == gy && cz == gz)
                {
                    _extStart[e] = _cellStart[real];
                    _extEnd[e] = _cellStart[real + 1];
                    continue;
                }
                _extStart[e] = _extEnd[e] = slot;
                if (!Reached(gx, gy, gz)) continue;
                var shift = ShiftIndex(Math.Sign(gx - cx), Math.Sign(gy - cy), Math.Sign(gz - cz));
                for (var s = _cellStart[real]; s < _cellStart[real + 1]; s++, slot++)
                {
                    if (pass == 0) continue;
                    ImageSource[slot - n] = s;
                    ImageShift[slot - n] = shift;
                }
                _extEnd[e] = slot;
            }
            images = slot - n;
            if (pass == 0 && ImageSource.Length < images)
            {
                ImageSource = new int[images + images / 8];
                ImageShift = new int[ImageSource.Length];
            }
        }
        ImageCount = images;
    }

    /// <summary>Whether some real cell has the extended cell (gx, gy, gz) in its forward stencil.</summary>
    private bool Reached(int gx, int gy, int gz)
    {
        foreach (var (dx, dy, dz) in Forward)
        {
            int ax = gx - dx, ay = gy - dy, az = gz - dz;
            if (ax >= 0 && ax < _nx && ay >= 0 && ay < _ny && az >= 0 && az < _nz) return true;
        }
        return false;
    }

    /// <summary>The slots' coordinates for the distance tests (float, padded by a vector), and their types.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SetSlotPositions(State state)
    {
        var n = Order.Length;
        var slots = SlotCount;
        if (_bx.Length < slots + Lanes)
        {
            var length = slots + slots / 8 + Lanes;
            _bx = new float[length]; _by = new float[length]; _bz = new float[length];
        }
        if (SlotType.Length != slots) SlotType = new int[slots];
        for (var s = 0; s < n; s++)
        {
            var a = Order[s];
            _bx[s] = (float)state.X[a]; _by[s] = (float)state.Y[a]; _bz[s] = (float)state.Z[a];
            SlotType[s] = state.TypeOf[a];
        }
        var box = state.Box;
        for (var k = 0; k < ImageCount; k++)
        {
            var (sx, sy, sz) = ShiftOf(ImageShift[k]);
            var a = Order[ImageSource[k]];
            _bx[n + k] = (float)(state.X[a] + sx * box.Lx);
            _by[n + k] = (float)(state.Y[a] + sy * box.Ly);
            _bz[n + k] = (float)(state.Z[a] + sz * box.Lz);
            SlotType[n + k] = state.TypeOf[a];
        }
        DummyPosition = -(2 * Math.Max(box.Lx, Math.Max(box.Ly, box.Lz)) + 4 * Range);
        _bx[DummySlot] = _by[DummySlot] = _bz[DummySlot] = (float)DummyPosition;
        SlotType[DummySlot] = 0;
    }

    /// <summary>Finds the partners of every particle, over fixed chunks of cells (one when single-threaded, written in place).</summary>
    private void Search(int threads)
    {
        var n = Order.Length;
        var cells = _nx * _ny * _nz;
        if (NeighbourStart.Length != n + 1) NeighbourStart = new int[n + 1];
        if (threads <= 1 || n < ParallelParticles)
        {
            var list = Neighbours;
            var count = SearchCells(0, cells, ref list);
            Neighbours = list;
            NeighbourStart[n] = count;
            return;
        }

        var chunks = Math.Min(cells, 8 * threads);
        if (_chunkNeighbours.Length != chunks) { _chunkNeighbours = new int[chunks][]; _chunkCount = new int[chunks]; }
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, chunks, options, c =>
        {
            var list = _chunkNeighbours[c] ?? [];
            _chunkCount[c] = SearchCells(cells * c / chunks, cells * (c + 1) / chunks, ref list);
            _chunkNeighbours[c] = list;
        });
        var total = 0;
        foreach (var c in _chunkCount) total += c;
        if (Neighbours.Length < total) Neighbours = new int[total + total / 8];
        var offset = 0;
        for (var c = 0; c < chunks; c++)
        {
            Array.Copy(_chunkNeighbours[c], 0, Neighbours, offset, _chunkCount[c]);
            // A chunk's starts were stored relative to the chunk; shift them to the global offset.
            for (var i = _cellStart[cells * c / chunks]; i < _cellStart[cells * (c + 1) / chunks]; i++) NeighbourStart[i] += offset;
            offset += _chunkCount[c];
        }
        NeighbourStart[n] = offset;
    }

    /// <summary>Lists the partners of the particles of cells [c0, c1) into <paramref name="list"/> (grown as needed); returns the count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SearchCells(int c0, int c1, ref int[] list)
    {
        // Float coordinates: widen the range by a relative 1e-5, so that rounding never drops a pair inside it.
        var range2 = (float)(Range * Range * (1 + 1e-5));
        var dummy = 4 * DummySlot;
        var pad = Padding;
        Span<int> runStart = stackalloc int[Forward.Length];
        Span<int> runEnd = stackalloc int[Forward.Length];
        var scratch = ArrayPool<int>.Shared.Rent(256);
        var count = 0;
        fixed (float* bx = _bx, by = _by, bz = _bz)
        fixed (int* table = CompressTable)
        {
            for (var c = c0; c < c1; c++)
            {
                int cx = c % _nx, cy = c / _nx % _ny, cz = c / (_nx * _ny);
                // The forward stencil as runs of consecutive slots; the first may continue the cell's own slots.
                var runs = 0;
                var candidates = 0;
                foreach (var (dx, dy, dz) in Forward)
                {
                    var e = ExtendedCell(cx + dx, cy + dy, cz + dz);
                    int s0 = _extStart[e], s1 = _extEnd[e];
                    if (s0 == s1) continue;
                    candidates += s1 - s0;
                    if (runs > 0 && runEnd[runs - 1] == s0) { runEnd[runs - 1] = s1; continue; }
                    runStart[runs] = s0; runEnd[runs] = s1; runs++;
                }
                int own0 = _cellStart[c], own1 = _cellStart[c + 1];
                candidates += own1 - own0;
                if (scratch.Length < candidates + pad + Lanes)
                {
                    ArrayPool<int>.Shared.Return(scratch);
                    scratch = ArrayPool<int>.Shared.Rent(candidates + pad + Lanes);
                }
                var i = own0;
                // Two particles at a time share each candidate vector's loads and the loops over the stencil's runs;
                // the second's partners go to the scratch buffer and are copied after the first's (the same list).
                for (; i + 1 < own1; i += 2)
                {
                    Reserve(ref list, count + 2 * (candidates + pad + Lanes));
                    var xi = Vector256.Create(bx[i]);
                    var yi = Vector256.Create(by[i]);
                    var zi = Vector256.Create(bz[i]);
                    var xk = Vector256.Create(bx[i + 1]);
                    var yk = Vector256.Create(by[i + 1]);
                    var zk = Vector256.Create(bz[i + 1]);
                    fixed (int* out0 = list, t0 = scratch)
                    {
                        var o = Within(bx, by, bz, xi, yi, zi, range2, i + 1, own1, out0 + count, table);
                        var t = Within(bx, by, bz, xk, yk, zk, range2, i + 2, own1, t0, table);
                        for (var r = 0; r < runs; r++) WithinPair(bx, by, bz, xi, yi, zi, xk, yk, zk, range2, runStart[r], runEnd[r], ref o, ref t, table);
                        NeighbourStart[i] = count;
                        o = Pad(o, (int)(o - out0 - count), pad, dummy);
                        count = (int)(o - out0);
                        NeighbourStart[i + 1] = count;
                        var k = (int)(t - t0);
                        new ReadOnlySpan<int>(t0, k).CopyTo(new Span<int>(o, k));
                        o = Pad(o + k, k, pad, dummy);
                        count = (int)(o - out0);
                    }
                }
                if (i < own1)
                {
                    Reserve(ref list, count + candidates + pad + Lanes);
                    NeighbourStart[i] = count;
                    var xi = Vector256.Create(bx[i]);
                    var yi = Vector256.Create(by[i]);
                    var zi = Vector256.Create(bz[i]);
                    fixed (int* out0 = list)
                    {
                        var o = out0 + count;
                        var first = 0;
                        var end = own1;
                        if (runs > 0 && runStart[0] == own1) { end = runEnd[0]; first = 1; }
                        o = Within(bx, by, bz, xi, yi, zi, range2, i + 1, end, o, table);
                        for (var r = first; r < runs; r++) o = Within(bx, by, bz, xi, yi, zi, range2, runStart[r], runEnd[r], o, table);
                        o = Pad(o, (int)(o - out0 - count), pad, dummy);
                        count = (int)(o - out0);
                    }
                }
            }
        }
        ArrayPool<int>.Shared.Return(scratch);
        return count;
    }

    /// <summary>Room for <paramref name="length"/> entries: every candidate, the padding and one whole vector of over-store. Growth by a quarter, not doubling: the list is the force field's largest array.</summary>
    private static void Reserve(ref int[] list, int length)
    {
        if (length > list.Length) Array.Resize(ref list, Math.Max(list.Length + list.Length / 4, length));
    }

    /// <summary>Pads a particle's <paramref name="listed"/> partners, ending at <paramref name="o"/>, to a whole number of vectors with the dummy.</summary>
    private static int* Pad(int* o, int listed, int pad, int dummy)
    {
        for (var fill = (pad - listed % pad) % pad; fill > 0; fill--) *o++ = dummy;
        return o;
    }

    /// <summary><see cref="Within"/> for two particles (i and k) over the same candidates, sharing their loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WithinPair(float* bx, float* by, float* bz, Vector256<float> xi, Vector256<float> yi, Vector256<float> zi,
        Vector256<float> xk, Vector256<float> yk, Vector256<float> zk, float range2, int j0, int j1, ref int* o, ref int* t, int* table)
    {
        var r2max = Vector256.Create(range2);
        var offset = Vector256.Create(4 * j0);
        var step = Vector256.Create(4 * Lanes);
        for (var j = j0; j < j1; j += Lanes, offset += step)
        {
            var x = Vector256.Load(bx + j);
            var y = Vector256.Load(by + j);
            var z = Vector256.Load(bz + j);
            var dx = x - xi;
            var dy = y - yi;
            var dz = z - zi;
            var bits = Vector256.LessThan(dx * dx + dy * dy + dz * dz, r2max).ExtractMostSignificantBits();
            dx = x - xk;
            dy = y - yk;
            dz = z - zk;
            var bitsK = Vector256.LessThan(dx * dx + dy * dy + dz * dz, r2max).ExtractMostSignificantBits();
            if (j1 - j < Lanes)
            {
                var tail = (1u << (j1 - j)) - 1;
                bits &= tail;
                bitsK &= tail;
            }
            if (Avx2.IsSupported)
            {
                (Vector256.Load(table + Lanes * bits) + offset).Store(o);
                o += BitOperations.PopCount(bits);
                (Vector256.Load(table + Lanes * bitsK) + offset).Store(t);
                t += BitOperations.PopCount(bitsK);
            }
            else
            {
                for (; bits != 0; bits &= bits - 1) *o++ = 4 * (j + BitOperations.TrailingZeroCount(bits));
                for (; bitsK != 0; bitsK &= bitsK - 1) *t++ = 4 * (j + BitOperations.TrailingZeroCount(bitsK));
            }
        }
    }

    /// <summary>
    /// Stores, from <paramref name="o"/> on, 4 × the slots j in [j0, j1) within the range of (xi, yi, zi), 8 at a time;
    /// the last vector's lanes past j1 are masked off. Returns the next free output position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int* Within(float* bx, float* by, float* bz, Vector256<float> xi, Vector256<float> yi, Vector256<float> zi,
        float range2, int j0, int j1, int* o, int* table)
    {
        var r2max = Vector256.Create(range2);
        // 4 × j broadcast, stepped with j: the table holds 4 × lane, so a hit's offset is one addition.
        var offset = Vector256.Create(4 * j0);
        var step = Vector256.Create(4 * Lanes);
        for (var j = j0; j < j1; j += Lanes, offset += step)
        {
            var dx = Vector256.Load(bx + j) - xi;
            var dy = Vector256.Load(by + j) - yi;
            var dz = Vector256.Load(bz + j) - zi;
            var r2 = dx * dx + dy * dy + dz * dz;
            var bits = Vector256.LessThan(r2, r2max).ExtractMostSignificantBits();
            if (j1 - j < Lanes) bits &= (1u << (j1 - j)) - 1;
            if (Avx2.IsSupported)
            {
                (Vector256.Load(table + Lanes * bits) + offset).Store(o);
                o += BitOperations.PopCount(bits);
            }
            else
            {
                for (; bits != 0; bits &= bits - 1) *o++ = 4 * (j + BitOperations.TrailingZeroCount(bits));
            }
        }
        return o;
    }

    private static int[] BuildCompressTable()
    {
        var table = new int[256 * Lanes];
        for (var m = 0; m < 256; m++)
        {
            var k = 0;
            for (var lane = 0; lane < Lanes; lane++)
                if ((m >> lane & 1) != 0) table[m * Lanes + k++] = 4 * lane;
        }
        return table;
    }

    private int RealCell(int cx, int cy, int cz) => (cz * _ny + cy) * _nx + cx;

    private int ExtendedCell(int gx, int gy, int gz) => (gz * (_ny + 2) + gy + 1) * (_nx + 2) + gx + 1;

    private static int Wrap(int g, int n) => (g % n + n) % n;

    private static void Resize(ref int[] array, int length)
    {
        if (array.Length != length) array = new int[length];
    }

    /// <summary>Bytes held by the list.</summary>
    public long Bytes =>
        (long)(Order.Length + _cellOf.Length + ImageSource.Length + ImageShift.Length + SlotType.Length + NeighbourStart.Length + Neighbours.Length
               + _cellStart.Length + _extStart.Length + _extEnd.Length + _chunkNeighbours.Sum(c => c?.Length ?? 0)) * sizeof(int)
        + (long)(_bx.Length + _by.Length + _bz.Length) * sizeof(float)
        + _moved.Bytes;
}
