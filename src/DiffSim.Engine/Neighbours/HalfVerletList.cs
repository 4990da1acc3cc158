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
/// dz = 0 and dy &gt; 0, or dz = dy = 0 and dx &gt; 0): 5 rows along x. Within a cell the particles are sorted by
/// slabs (bins) 1/8 of a cell thick along x, so a row's bins are ordered by x, and a particle reads of each row only
/// the bins within its reach: a row at least d away in y and z holds partners only within √(range² − d²) along x, and
/// none when d ≥ range. On in.lj that halves the candidate vectors.</para>
/// <para>Periodic boundaries are images, not minimum-image arithmetic: a forward stencil cell beyond the ±x, ±y,
/// +z faces is a translated copy of the cell it wraps to, held in slots after the particles' (LAMMPS' ghost
/// atoms). A pair whose cell offset is backward is found from its other partner, whose forward stencil then reaches
/// the image; so each pair within range is listed once for every separation vector shorter than the range. With
/// fewer than 3 cells along an edge a pair can appear through two images, at most one of which is within the
/// cutoff when the box is at least twice the cutoff (the kernel masks the other).</para>
/// <para>The distance tests run 8 slots at a time over the contiguous runs of those bins, for two particles of a cell
/// at a time (the union of their reaches), and the slots inside the range are compress-stored with a 256-entry
/// permutation table (AVX2), or bit by bit elsewhere.</para>
/// <para>The build's loops are compiled fully optimised at their first call: a run rebuilds too rarely for tiered
/// compilation to replace its Tier0 and on-stack-replacement code.</para>
/// </remarks>
[SkipLocalsInit]
public sealed unsafe class HalfVerletList
{
    private const int Lanes = 8;

    /// <summary>Below this many particles a build is too short to pay for handing cells to other threads.</summary>
    private const int ParallelParticles = 8192;

    /// <summary>Bins per cell along x: a cell's slots are sorted by bin, so that a particle searches, along each row of the stencil, only the bins within its reach.</summary>
    private const int Bins = 8;

    /// <summary>
    /// The forward half stencil as rows of cells along x (dy, dz, the first cell's dx, cells): the next cell of the own
    /// row (after the cell's own later slots), then the row above (dz = 0) and the three of the layer above.
    /// </summary>
    private static readonly (int Dy, int Dz, int Dx, int Cells)[] Rows = [(0, 0, 1, 1), (1, 0, -1, 3), (-1, 1, -1, 3), (0, 1, -1, 3), (1, 1, -1, 3)];

    /// <summary><see cref="Rows"/> as lanes (dy, dz, the first cell's dx, bins), for <see cref="PrepareRows"/>; lanes past the rows are zero.</summary>
    private static readonly Vector256<int> RowDy = Vector256.Create(0, 1, -1, 0, 1, 0, 0, 0);

    /// <inheritdoc cref="RowDy"/>
    private static readonly Vector256<int> RowDz = Vector256.Create(0, 0, 1, 1, 1, 0, 0, 0);

    /// <inheritdoc cref="RowDy"/>
    private static readonly Vector256<int> RowDx = Vector256.Create(1, -1, -1, -1, -1, 0, 0, 0);

    /// <inheritdoc cref="RowDy"/>
    private static readonly Vector256<float> RowBinCount = Vector256.Create(1f, 3, 3, 3, 3, 0, 0, 0) * Bins;

    /// <summary>All bits set in the lanes of the <see cref="Rows"/>.</summary>
    private static readonly Vector256<float> IsRow = Vector256.Create(-1, -1, -1, -1, -1, 0, 0, 0).AsSingle();

    /// <summary>Row m: 4 × the lane numbers of the set bits of m (partner offsets count 4 per slot), first, for the compress store.</summary>
    private static readonly int[] CompressTable = BuildCompressTable();

    private readonly DisplacementCheck _moved;
    private float[] _bx = [], _by = [], _bz = [];
    private int[] _binStart = [], _extBins = [], _binOf = [];
    private int[] _extSource = [], _extShift = [];
    private (int X, int Y, int Z) _planned;
    private int[][] _chunkNeighbours = [];
    private int[] _chunkCount = [];
    private int _nx, _ny, _nz;
    private double _cellY, _cellZ;
    private float _binsPerLength;

    /// <param name="padding">Each particle's partners are padded to a multiple of this (the kernel's vector width, a power of 2).</param>
    /// <param name="maxCutoff">Largest interaction cutoff (length units).</param>
    /// <param name="skin">Extra list range beyond the cutoff (length units).</param>
    public HalfVerletList(int padding, double maxCutoff, double skin)
    {
        if (!BitOperations.IsPow2(padding)) throw new ArgumentException($"padding must be a power of 2, got {padding}");
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

    /// <summary>Images: slots ParticleCount to ParticleCount + ImageCount − 1, in the order of <see cref="ImageRuns"/>.</summary>
    public int ImageCount { get; private set; }

    /// <summary>
    /// The images as runs (the first <see cref="ImageRunCount"/>), in slot order: each image cell copies its source
    /// cell's slots in order, so that the images' slots are filled and their forces folded back without an index per
    /// image.
    /// </summary>
    internal ImageRun[] ImageRuns { get; private set; } = [];

    internal int ImageRunCount { get; private set; }

    /// <summary>Images of the <paramref name="Count"/> slots from <paramref name="Source"/> on, translated by <see cref="ShiftOf"/>(<paramref name="Shift"/>), in consecutive image slots.</summary>
    internal readonly record struct ImageRun(int Source, int Count, int Shift);

    /// <summary>Particles, images and the dummy slot.</summary>
    public int SlotCount => ParticleCount + ImageCount + 1;

    /// <summary>The padding partner: a slot placed far from every other (<see cref="DummyPosition"/>), so no cutoff test passes.</summary>
    public int DummySlot => ParticleCount + ImageCount;

    /// <summary>Coordinate (the same on every axis) of <see cref="DummySlot"/>: more than the range outside every image.</summary>
    public double DummyPosition { get; private set; }

    /// <summary>Type of the particle in each slot (0 for the dummy); the first <see cref="SlotCount"/> entries are this build's (the array only grows, as the image count changes from build to build).</summary>
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
        _cellY = box.Ly / _ny;
        _cellZ = box.Lz / _nz;
        _binsPerLength = (float)(Bins * _nx / box.Lx);
        SortIntoBins(state);
        PlaceImages();
        SetSlotPositions(state);
        Search(threads);
        _moved.Remember(state);
        Builds++;
    }

    /// <summary>
    /// Counting sort of the particles by bin: bin b = Bins × c + f is the f-th slab along x of cell c (z-major); cell c
    /// holds slots <c>_binStart[Bins c].._binStart[Bins (c+1)]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SortIntoBins(State state)
    {
        var n = state.Count;
        var box = state.Box;
        var binsX = Bins * _nx;
        var bins = binsX * _ny * _nz;
        Resize(ref _binStart, bins + 1);
        Array.Clear(_binStart);
        if (Order.Length != n) { Order = new int[n]; _binOf = new int[n]; }
        double sx = binsX / box.Lx, sy = _ny / box.Ly, sz = _nz / box.Lz;
        for (var i = 0; i < n; i++)
        {
            var bx = Math.Min((int)(state.X[i] * sx), binsX - 1);
            var cy = Math.Min((int)(state.Y[i] * sy), _ny - 1);
            var cz = Math.Min((int)(state.Z[i] * sz), _nz - 1);
            // Wrapping leaves a non-finite or astronomically far position outside the box (or NaN, which converts to 0).
            if ((bx | cy | cz) < 0 || !double.IsFinite(state.X[i] + state.Y[i] + state.Z[i]))
                throw new SimulationDivergedException(state.Step, $"particle {i} is at ({state.X[i]:G4}, {state.Y[i]:G4}, {state.Z[i]:G4}), outside the box");
            var b = (cz * _ny + cy) * binsX + bx;
            _binOf[i] = b;
            _binStart[b + 1]++;
        }
        for (var b = 0; b < bins; b++) _binStart[b + 1] += _binStart[b];
        // Filling advances each start to the next bin's start; shifting by one bin afterwards restores them.
        for (var i = 0; i < n; i++) Order[_binStart[_binOf[i]]++] = i;
        for (var b = bins; b > 0; b--) _binStart[b] = _binStart[b - 1];
        _binStart[0] = 0;
    }

    /// <summary>
    /// The extended grid: x and y from −1 to n, z from 0 to n (the forward stencil reaches no further). Real cells
    /// map to their slots; every other cell that some real cell's forward stencil reaches gets image slots, in
    /// extended-cell order after the particles, laid out in bins as its source. Extended cell e's bin f starts at
    /// slot <c>_extBins[(Bins + 1) e + f]</c>, and its last bin ends at <c>_extBins[(Bins + 1) e + Bins]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PlaceImages()
    {
        PlanExtendedGrid();
        var n = Order.Length;
        var images = 0;
        for (var e = 0; e < _extSource.Length; e++)
        {
            if (_extShift[e] < 0) continue;
            var bin = Bins * _extSource[e];
            images += _binStart[bin + Bins] - _binStart[bin];
        }
        if (ImageRuns.Length < _extSource.Length) ImageRuns = new ImageRun[_extSource.Length];
        var runs = 0;
        var slot = n;
        for (var e = 0; e < _extSource.Length; e++)
        {
            int source = _extSource[e], shift = _extShift[e], b = (Bins + 1) * e;
            if (source < 0)
            {
                for (var f = 0; f <= Bins; f++) _extBins[b + f] = slot;
                continue;
            }
            var bin = Bins * source;
            if (shift < 0)
            {
                for (var f = 0; f <= Bins; f++) _extBins[b + f] = _binStart[bin + f];
                continue;
            }
            // An image's bins are its source's, moved to the image's slots.
            int first = _binStart[bin], end = _binStart[bin + Bins];
            for (var f = 0; f <= Bins; f++) _extBins[b + f] = slot + _binStart[bin + f] - first;
            if (end > first) ImageRuns[runs++] = new ImageRun(first, end - first, shift);
            slot += end - first;
        }
        ImageCount = images;
        ImageRunCount = runs;
    }

    /// <summary>
    /// For each extended cell (z-major from (−1, −1, 0)), the real cell it holds or copies (−1 where no forward stencil
    /// reaches it) and the shift of its images (−1 where it has none): the same for every build on this grid, so made once.
    /// </summary>
    private void PlanExtendedGrid()
    {
        if (_planned == (_nx, _ny, _nz)) return;
        int ex = _nx + 2, ey = _ny + 2, ez = _nz + 1;
        Resize(ref _extBins, ex * ey * ez * (Bins + 1));
        Resize(ref _extSource, ex * ey * ez);
        Resize(ref _extShift, ex * ey * ez);
        for (var gz = 0; gz < ez; gz++)
        for (var gy = -1; gy <= _ny; gy++)
        for (var gx = -1; gx <= _nx; gx++)
        {
            var e = ExtendedCell(gx, gy, gz);
            int cx = Wrap(gx, _nx), cy = Wrap(gy, _ny), cz = Wrap(gz, _nz);
            var isReal = cx == gx && cy == gy && cz == gz;
            var copied = !isReal && Reached(gx, gy, gz);
            _extSource[e] = isReal || copied ? RealCell(cx, cy, cz) : -1;
            _extShift[e] = copied ? ShiftIndex(Math.Sign(gx - cx), Math.Sign(gy - cy), Math.Sign(gz - cz)) : -1;
        }
        _planned = (_nx, _ny, _nz);
    }

    /// <summary>Whether some real cell has the extended cell (gx, gy, gz) in its forward stencil.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Reached(int gx, int gy, int gz)
    {
        foreach (var (dy, dz, dx0, cells) in Rows)
        {
            for (var dx = dx0; dx < dx0 + cells; dx++)
            {
                int ax = gx - dx, ay = gy - dy, az = gz - dz;
                if (ax >= 0 && ax < _nx && ay >= 0 && ay < _ny && az >= 0 && az < _nz) return true;
            }
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
        if (SlotType.Length < slots) SlotType = new int[slots + slots / 8];
        double[] x = state.X, y = state.Y, z = state.Z;
        int[] order = Order, type = SlotType;
        float[] bx = _bx, by = _by, bz = _bz;
        for (var s = 0; s < n; s++)
        {
            var a = order[s];
            bx[s] = (float)x[a]; by[s] = (float)y[a]; bz[s] = (float)z[a];
            type[s] = state.TypeOf[a];
        }
        var box = state.Box;
        var image = n;
        for (var r = 0; r < ImageRunCount; r++)
        {
            var (source, count, shift) = ImageRuns[r];
            var (sx, sy, sz) = ShiftOf(shift);
            double dx = sx * box.Lx, dy = sy * box.Ly, dz = sz * box.Lz;
            for (var s = source; s < source + count; s++, image++)
            {
                var a = order[s];
                bx[image] = (float)(x[a] + dx); by[image] = (float)(y[a] + dy); bz[image] = (float)(z[a] + dz);
                type[image] = type[s];
            }
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
            for (var i = _binStart[Bins * (cells * c / chunks)]; i < _binStart[Bins * (cells * (c + 1) / chunks)]; i++) NeighbourStart[i] += offset;
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
        // Per row of the stencil (lanes): bounds in y and z, first bin along x and bin count (RowBounds), and the first cell's bins.
        var bounds = stackalloc float[RowBounds * Lanes];
        var rowBins = stackalloc int[Lanes];
        var lo = stackalloc int[Lanes];
        var hi = stackalloc int[Lanes];
        var runStart = stackalloc int[RunCapacity];
        var runEnd = stackalloc int[RunCapacity];
        var scratch = ArrayPool<int>.Shared.Rent(256);
        var count = 0;
        fixed (float* bx = _bx, by = _by, bz = _bz)
        fixed (int* table = CompressTable, extBins = _extBins)
        {
            for (var c = c0; c < c1; c++)
            {
                int cx = c % _nx, cy = c / _nx % _ny, cz = c / (_nx * _ny);
                var candidates = PrepareRows(cx, cy, cz, bounds, rowBins, extBins);
                int own0 = _binStart[Bins * c], own1 = _binStart[Bins * (c + 1)];
                candidates += own1 - own0;
                if (scratch.Length < candidates + pad + Lanes)
                {
                    ArrayPool<int>.Shared.Return(scratch);
                    scratch = ArrayPool<int>.Shared.Rent(candidates + pad + Lanes);
                }
                var i = own0;
                // Two particles at a time share each candidate vector's loads and the loops over the runs; the second's
                // partners go to the scratch buffer and are copied after the first's (the same list).
                for (; i + 1 < own1; i += 2)
                {
                    Reserve(ref list, count + 2 * (candidates + pad + Lanes));
                    float xi = bx[i], yi = by[i], zi = bz[i], xk = bx[i + 1], yk = by[i + 1], zk = bz[i + 1];
                    Reach(bounds, xi, yi, zi, xk, yk, zk, range2, lo, hi);
                    var runs = Runs(i + 2, own1, lo, hi, rowBins, extBins, runStart, runEnd);
                    fixed (int* out0 = list, t0 = scratch)
                    {
                        var o = out0 + count;
                        var t = t0;
                        // The pair itself first: i's partners in slot order, as the cell's later slots come next.
                        float dx = xk - xi, dy = yk - yi, dz = zk - zi;
                        if (dx * dx + dy * dy + dz * dz < range2) *o++ = 4 * (i + 1);
                        var vxi = Vector256.Create(xi);
                        var vyi = Vector256.Create(yi);
                        var vzi = Vector256.Create(zi);
                        var vxk = Vector256.Create(xk);
                        var vyk = Vector256.Create(yk);
                        var vzk = Vector256.Create(zk);
                        for (var r = 0; r < runs; r++) WithinPair(bx, by, bz, vxi, vyi, vzi, vxk, vyk, vzk, range2, runStart[r], runEnd[r], ref o, ref t, table);
                        NeighbourStart[i] = count;
                        o = Pad(o, (int)(o - out0 - count), pad, dummy);
                        NeighbourStart[i + 1] = (int)(o - out0);
                        var k = (int)(t - t0);
                        new ReadOnlySpan<int>(t0, k).CopyTo(new Span<int>(o, k));
                        o = Pad(o + k, k, pad, dummy);
                        count = (int)(o - out0);
                    }
                }
                if (i < own1)
                {
                    Reserve(ref list, count + candidates + pad + Lanes);
                    Reach(bounds, bx[i], by[i], bz[i], bx[i], by[i], bz[i], range2, lo, hi);
                    var runs = Runs(i + 1, own1, lo, hi, rowBins, extBins, runStart, runEnd);
                    var xi = Vector256.Create(bx[i]);
                    var yi = Vector256.Create(by[i]);
                    var zi = Vector256.Create(bz[i]);
                    fixed (int* out0 = list)
                    {
                        var o = out0 + count;
                        for (var r = 0; r < runs; r++) o = Within(bx, by, bz, xi, yi, zi, range2, runStart[r], runEnd[r], o, table);
                        NeighbourStart[i] = count;
                        o = Pad(o, (int)(o - out0 - count), pad, dummy);
                        count = (int)(o - out0);
                    }
                }
            }
        }
        ArrayPool<int>.Shared.Return(scratch);
        return count;
    }

    /// <summary>Vectors of <see cref="PrepareRows"/>'s bounds: y low, y high, z low, z high, first bin, bin count.</summary>
    private const int RowBounds = 6;

    /// <summary>At most one run per cell of the rows (the 13 of the stencil) and the cell's own.</summary>
    private const int RunCapacity = 14;

    /// <summary>
    /// The stencil rows of cell (cx, cy, cz), one per lane: their bounds in y and z, the global bin of their first
    /// cell's first slab along x and their bin count (as floats), and their first extended cell's bins; returns the slots they hold.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PrepareRows(int cx, int cy, int cz, float* bounds, int* rowBins, int* extBins)
    {
        // The bounds a vector at a time, in float (the reach's margin covers their rounding); lanes past the rows never
        // pass (their bounds are empty) and are not read.
        var gy = Vector256.Create(cy) + RowDy;
        var gz = Vector256.Create(cz) + RowDz;
        var cellY = Vector256.Create((float)_cellY);
        var cellZ = Vector256.Create((float)_cellZ);
        var yLow = Vector256.ConvertToSingle(gy) * cellY;
        Vector256.ConditionalSelect(IsRow, yLow, Vector256.Create(float.PositiveInfinity)).Store(bounds);
        (Vector256.ConvertToSingle(gy + Vector256<int>.One) * cellY).Store(bounds + Lanes);
        (Vector256.ConvertToSingle(gz) * cellZ).Store(bounds + 2 * Lanes);
        (Vector256.ConvertToSingle(gz + Vector256<int>.One) * cellZ).Store(bounds + 3 * Lanes);
        Vector256.ConvertToSingle((Vector256.Create(cx) + RowDx) * Vector256.Create(Bins)).Store(bounds + 4 * Lanes);
        RowBinCount.Store(bounds + 5 * Lanes);
        var slots = 0;
        for (var r = 0; r < Rows.Length; r++)
        {
            var (dy, dz, dx, cells) = Rows[r];
            var e = (Bins + 1) * ExtendedCell(cx + dx, cy + dy, cz + dz);
            // A row whose cells' slots follow on (real cells, or images of a whole row) is one run of bins: marked by a negative index.
            var flat = true;
            for (var g = 0; g < cells; g++, e += Bins + 1)
            {
                slots += extBins[e + Bins] - extBins[e];
                flat &= g == 0 || extBins[e] == extBins[e - 1];
            }
            rowBins[r] = flat ? ~(e - (Bins + 1) * cells) : e - (Bins + 1) * cells;
        }
        return slots;
    }

    /// <summary>
    /// For each stencil row (lanes), the bins [lo, hi), counted from the row's first, that can hold a partner of particle
    /// i or k: a row at least d away in y and z reaches √(range² − d²) along x either side, and none when d ≥ range.
    /// </summary>
    /// <remarks>A margin of 10⁻³ range on every distance covers the rounding of positions and bounds to float.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void Reach(float* bounds, float xi, float yi, float zi, float xk, float yk, float zk, float range2, int* lo, int* hi)
    {
        var margin = Vector256.Create((float)(1e-3 * Range));
        var d2 = Vector256.MinNative(Distance2(bounds, yi, zi, margin), Distance2(bounds, yk, zk, margin));
        var r2 = Vector256.Create(range2);
        var reach = Vector256.Sqrt(Vector256.MaxNative(r2 - d2, Vector256<float>.Zero)) + margin;
        var perLength = Vector256.Create(_binsPerLength);
        var origin = Vector256.Load(bounds + 4 * Lanes);
        // Truncation rounds a negative first bin up, to at most 0, where the clamp puts it anyway.
        // Plain comparisons for the x extent: MathF.Min and Max order NaN and signed zeros, a longer chain before the reach.
        var first = Vector256.ConvertToInt32Native((Vector256.Create(xi < xk ? xi : xk) - reach) * perLength - origin);
        var last = Vector256.ConvertToInt32Native((Vector256.Create(xi < xk ? xk : xi) + reach) * perLength - origin);
        Vector256.Max(first, Vector256<int>.Zero).Store(lo);
        var end = Vector256.Min(last + Vector256<int>.One, Vector256.ConvertToInt32Native(Vector256.Load(bounds + 5 * Lanes)));
        Vector256.ConditionalSelect(Vector256.LessThan(d2, r2).AsInt32(), end, Vector256<int>.Zero).Store(hi);
    }

    /// <summary>Squared distance in y and z from (y, z) to each row, less the margin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Distance2(float* bounds, float y, float z, Vector256<float> margin)
    {
        var yv = Vector256.Create(y);
        var zv = Vector256.Create(z);
        var dy = Vector256.MaxNative(Vector256.MaxNative(Vector256.Load(bounds) - yv, yv - Vector256.Load(bounds + Lanes)) - margin, Vector256<float>.Zero);
        var dz = Vector256.MaxNative(Vector256.MaxNative(Vector256.Load(bounds + 2 * Lanes) - zv, zv - Vector256.Load(bounds + 3 * Lanes)) - margin, Vector256<float>.Zero);
        return dy * dy + dz * dz;
    }

    /// <summary>
    /// The cell's own slots [<paramref name="own0"/>, <paramref name="own1"/>), then the slots of each row's bins [lo, hi),
    /// as runs of consecutive slots (the cell's own slots continue into the next cell's, real cells of a row are adjacent,
    /// and so may be rows); returns the run count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static int Runs(int own0, int own1, int* lo, int* hi, int* rowBins, int* extBins, int* runStart, int* runEnd)
    {
        var runs = 0;
        if (own0 < own1) { runStart[0] = own0; runEnd[0] = own1; runs = 1; }
        for (var r = 0; r < Rows.Length; r++)
        {
            int l = lo[r], h = hi[r], e = rowBins[r];
            if (l >= h) continue;
            if (e < 0)
            {
                // Bin b of a flat row starts at index b + b / Bins (each cell has Bins + 1 bounds; a cell's last is the next's first).
                e = ~e;
                Add(extBins[e + l + l / Bins], extBins[e + h + (h - 1) / Bins], runStart, runEnd, ref runs);
                continue;
            }
            // Cell g of the row holds bins [Bins g, Bins (g + 1)); l and h are moved to the cell's own count.
            for (var g = 0; g < Rows[r].Cells && h > 0; g++, e += Bins + 1, l -= Bins, h -= Bins)
            {
                if (l < Bins) Add(extBins[e + Math.Max(l, 0)], extBins[e + Math.Min(h, Bins)], runStart, runEnd, ref runs);
            }
        }
        return runs;
    }

    /// <summary>Appends the slots [s0, s1) to the runs, continuing the last run when it ends at s0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(int s0, int s1, int* runStart, int* runEnd, ref int runs)
    {
        if (s0 == s1) return;
        if (runs > 0 && runEnd[runs - 1] == s0) { runEnd[runs - 1] = s1; return; }
        runStart[runs] = s0; runEnd[runs] = s1; runs++;
    }

    /// <summary>Room for <paramref name="length"/> entries: every candidate, the padding and one whole vector of over-store. Growth by a quarter, not doubling: the list is the force field's largest array.</summary>
    private static void Reserve(ref int[] list, int length)
    {
        if (length > list.Length) Array.Resize(ref list, Math.Max(list.Length + list.Length / 4, length));
    }

    /// <summary>
    /// Pads a particle's <paramref name="listed"/> partners, ending at <paramref name="o"/>, to a whole number of
    /// vectors with the dummy: stored a vector at a time (the list has a vector of slack past every particle's candidates).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int* Pad(int* o, int listed, int pad, int dummy)
    {
        var fill = -listed & (pad - 1);
        var dummies = Vector256.Create(dummy);
        for (var k = 0; k < fill; k += Lanes) dummies.Store(o + k);
        return o + fill;
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

    /// <summary>The real cell index of extended index g, which lies in [−1, n]: a comparison, not two divisions.</summary>
    private static int Wrap(int g, int n) => g < 0 ? g + n : g >= n ? g - n : g;

    private static void Resize(ref int[] array, int length)
    {
        if (array.Length != length) array = new int[length];
    }

    /// <summary>Bytes held by the list.</summary>
    public long Bytes =>
        (long)(Order.Length + _binOf.Length + SlotType.Length + NeighbourStart.Length + Neighbours.Length
               + 3 * ImageRuns.Length + _binStart.Length + _extBins.Length + _extSource.Length + _extShift.Length + _chunkNeighbours.Sum(c => c?.Length ?? 0)) * sizeof(int)
        + (long)(_bx.Length + _by.Length + _bz.Length) * sizeof(float)
        + _moved.Bytes;
}
