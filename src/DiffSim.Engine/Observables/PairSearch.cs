using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Adjoint;
using DiffSim.Neighbours;
using DiffSim.Numerics;
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
/// A cell list with cells of at least half the cutoff and the 62-cell forward half of the 5³ stencil when every edge
/// holds at least 5 such cells and that costs less than scanning all pairs (<see cref="CellsCheaper"/>); all pairs
/// otherwise.
/// </summary>
/// <remarks>
/// Both searches screen in 16-bit fixed point (<see cref="FixedPointScreen"/>), eight pairs to a vector, with a margin
/// above its rounding, and recompute the candidates in double precision: the pairs and their r² are those of the
/// double-precision test alone (in the same order, on the all-pairs scan). The scan costs about 0.7 ns a pair of
/// particles and 5 ns a pair found (256 particles at ρ = 0.3: 40 µs to r = 2.7, 57 µs to 3.43), so all pairs win
/// only up to some 500 to 900 particles (<see cref="CellsCheaper"/>; the bench's <c>search</c> times both).
/// </remarks>
internal sealed class PairSearch
{
    private readonly CellRows _rows = new();
    private double[] _x = [], _y = [], _z = [];
    private int[] _xy = [], _zq = [];
    // The scan's slots: each particle is its own (the cell search's are in cell order, CellRows.NearSlot).
    private int[] _identity = [];
    private int[] _candidates = [];
    private double[] _sourceX = [], _sourceY = [], _sourceZ = [];
    private Box _sourceBox;

    private int[] _pi = new int[256], _pj = new int[256];
    private double[] _pr = new double[256], _pdx = new double[256], _pdy = new double[256], _pdz = new double[256];

    /// <summary>
    /// Left-packing of the all-pairs scan's doubles: for each 4-bit hit mask, the 32-bit lanes that move the hit
    /// doubles to the front (<see cref="Avx2.PermuteVar8x32(Vector256{float}, Vector256{int})"/>); their indices
    /// come from <see cref="LeftPack"/>.
    /// </summary>
    private static readonly Vector256<int>[] PackDoubles = new Vector256<int>[16];

    static PairSearch()
    {
        Span<int> doubles = stackalloc int[8];
        for (var mask = 0; mask < 16; mask++)
        {
            doubles.Clear();
            var k = 0;
            for (var lane = 0; lane < 4; lane++)
            {
                if ((mask >> lane & 1) == 0) continue;
                doubles[2 * k] = 2 * lane; doubles[2 * k + 1] = 2 * lane + 1;
                k++;
            }
            PackDoubles[mask] = Vector256.Create<int>(doubles);
        }
    }

    /// <summary>
    /// True when the pairs held are those of <paramref name="state"/>'s positions and box (bit for bit), so that a
    /// caller revisiting a frame may use them without searching again.
    /// </summary>
    public bool Holds(State state)
    {
        var n = state.Count;
        return _sourceX.Length == n && _sourceBox == state.Box
            && state.X.AsSpan(0, n).SequenceEqual(_sourceX) && state.Y.AsSpan(0, n).SequenceEqual(_sourceY) && state.Z.AsSpan(0, n).SequenceEqual(_sourceZ);
    }

    /// <summary>The cell search wherever the grid allows it, whatever it costs against all pairs (for tests of both).</summary>
    internal bool PreferCells { get; init; }

    /// <summary>The all-pairs scan whatever it costs against the cells (for timing both).</summary>
    internal bool PreferAllPairs { get; init; }

    /// <summary>Bytes held by the collected pairs.</summary>
    public long Bytes => (long)_pi.Length * (2 * sizeof(int) + 4 * sizeof(double));

    /// <summary>The cutoff of the last <see cref="Collect"/>.</summary>
    public double Cutoff { get; private set; }

    /// <summary>
    /// Whether the last <see cref="Collect"/> scanned all pairs, which come in ascending order of their first partner
    /// (i &lt; j); the cell search gives each first partner's pairs in one run, in cell order.
    /// </summary>
    public bool FirstPartnersAscending { get; private set; }

    /// <summary>Number of pairs found by the last <see cref="Collect"/>.</summary>
    public int Count { get; private set; }

    /// <summary>First partner of each pair of the last <see cref="Collect"/>.</summary>
    public ReadOnlySpan<int> I => _pi.AsSpan(0, Count);
    public ReadOnlySpan<int> J => _pj.AsSpan(0, Count);
    public ReadOnlySpan<double> R => _pr.AsSpan(0, Count);
    public ReadOnlySpan<double> Dx => _pdx.AsSpan(0, Count);
    public ReadOnlySpan<double> Dy => _pdy.AsSpan(0, Count);
    public ReadOnlySpan<double> Dz => _pdz.AsSpan(0, Count);

    public void ForEachUniquePair<TVisitor>(State state, double cutoff, ref TVisitor visitor) where TVisitor : struct, IPairVisitor
    {
        state.Box.EnsureFits(cutoff);
        Collect(state, cutoff);
        for (var k = 0; k < Count; k++) visitor.Visit(_pi[k], _pj[k], _pr[k], _pdx[k], _pdy[k], _pdz[k]);
    }

    /// <summary>
    /// Finds every unordered pair whose minimum image is closer than <paramref name="cutoff"/> and stores it (i, j, r,
    /// minimum image of xᵢ − xⱼ) in flat arrays, so that callers run their per-pair work as one tight loop. The cutoff
    /// may pass half the box (a neighbour list's skin); callers check that the ranges they need fit.
    /// </summary>
    public void Collect(State state, double cutoff)
    {
        var box = state.Box;
        var n = state.Count;
        Count = 0;
        Cutoff = cutoff;
        Wrap(state);
        Remember(state);
        var r2max = cutoff * cutoff;
        const int reach = CellRows.Reach;
        // Half-cutoff cells per edge, as the cell list would make them: the grid is built only where it is used.
        var cell = cutoff / reach;
        int nx = (int)(box.Lx / cell), ny = (int)(box.Ly / cell), nz = (int)(box.Lz / cell);
        var screen = FixedPointScreen.Limit(cutoff, box);
        var periodic = new PeriodicLanes(box);
        FirstPartnersAscending = box.MinEdge < (2 * reach + 1) * cutoff / reach || Math.Min(nx, Math.Min(ny, nz)) < 2 * reach + 1 || PreferAllPairs || !(PreferCells || CellsCheaper(n, (long)nx * ny * nz));
        if (FirstPartnersAscending)
        {
            if (Avx2.IsSupported)
            {
                if (FixedPointScreen.IsCubic(box)) ScanAllRows(n, new CubicAxes(), in periodic, r2max, screen);
                else ScanAllRows(n, new OrthorhombicAxes(box), in periodic, r2max, screen);
            }
            else
                for (var i = 0; i < n - 1; i++)
                    for (var j = i + 1; j < n; j++) Pair(_x, _y, _z, i, j, i, j, box, r2max);
        }
        else
        {
            _rows.Build(_x.AsSpan(0, n), _y.AsSpan(0, n), _z.AsSpan(0, n), box, cell);
            if (FixedPointScreen.IsCubic(box)) CellPairs(box, new CubicAxes(), in periodic, r2max, screen);
            else CellPairs(box, new OrthorhombicAxes(box), in periodic, r2max, screen);
        }
    }

    /// <summary>
    /// Whether the cell search over <paramref name="cells"/> half-cutoff cells costs less than the all-pairs scan, by
    /// costs fitted to both (AMD Zen 1, processor time of <see cref="Collect"/>, 256 to 6,912 particles at ρ = 0.03, 0.3
    /// and 0.85, cutoffs 1.5 to 3; within 20 % of every time, and no wrong choice among them): the scan 0.95 ns a pair
    /// of particles; the cells 6 ns a cell, 200 ns a particle more than the scan (binning, copies in cell order, a row
    /// gathered per cell) and 0.7 ns a candidate, 62.5 half-cells of n / cells particles each per particle. The pairs
    /// found cost the same (some 5 ns each) on both. The 256-particle reverse-pass list of the paper's LJ system
    /// (ρ = 0.3, r_c + skin = 2.7, 343 cells): 54 µs scanning all pairs, 97 µs through the cells; 864 particles at
    /// ρ = 0.3 and r_c = 2.7 already 0.30 against 0.44 ms. The fixed-point screen then cut both paths' screening, and
    /// the choice stayed the faster path on all ten systems of the bench's <c>search</c> (256 to 13,500 particles; the
    /// closest, 864 particles at ρ = 0.3 and r_c = 2.7, 0.25 ms through the cells against 0.28 ms).
    /// </summary>
    private static bool CellsCheaper(int n, long cells)
    {
        var allPairs = 0.5 * n * (n - 1.0);
        var candidates = 62.5 * n * ((double)n / cells);
        return 6.0 * cells + 200.0 * n + 0.7 * candidates < 0.95 * allPairs;
    }

    /// <summary>
    /// Copies the positions wrapped into the box, followed by NaN ghosts up to a whole vector past the end (they never
    /// pass the double-precision test), and their fixed-point fractions for the screen.
    /// </summary>
    private void Wrap(State state)
    {
        var box = state.Box;
        var n = state.Count;
        var padded = n + Vector256<float>.Count;
        if (_x.Length != padded)
        {
            (_x, _y, _z) = (Ghosted.Doubles(n), Ghosted.Doubles(n), Ghosted.Doubles(n));
            (_xy, _zq) = (new int[padded], new int[padded]);
            _identity = Enumerable.Range(0, padded).ToArray();
            _candidates = new int[padded];
        }
        var (sx, sy, sz) = FixedPointScreen.Scales(box);
        var i = 0;
        if (Avx2.IsSupported)
        {
            // Box.Wrap and the fractions four at a time (the same bits).
            (Vector256<double> lx, Vector256<double> ly, Vector256<double> lz) = (Vector256.Create(box.Lx), Vector256.Create(box.Ly), Vector256.Create(box.Lz));
            (Vector256<double> vsx, Vector256<double> vsy, Vector256<double> vsz) = (Vector256.Create(sx), Vector256.Create(sy), Vector256.Create(sz));
            for (; i + 4 <= n; i += 4)
            {
                var x = Box.Wrap(Vector256.Create(state.X.AsSpan(i, 4)), lx);
                var y = Box.Wrap(Vector256.Create(state.Y.AsSpan(i, 4)), ly);
                var z = Box.Wrap(Vector256.Create(state.Z.AsSpan(i, 4)), lz);
                x.CopyTo(_x.AsSpan(i, 4)); y.CopyTo(_y.AsSpan(i, 4)); z.CopyTo(_z.AsSpan(i, 4));
                FixedPointScreen.Pack(FixedPointScreen.Fractions(x, vsx), FixedPointScreen.Fractions(y, vsy)).CopyTo(_xy.AsSpan(i, 4));
                FixedPointScreen.Fractions(z, vsz).CopyTo(_zq.AsSpan(i, 4));
            }
        }
        for (; i < n; i++)
        {
            _x[i] = Box.Wrap(state.X[i], box.Lx); _y[i] = Box.Wrap(state.Y[i], box.Ly); _z[i] = Box.Wrap(state.Z[i], box.Lz);
            _xy[i] = FixedPointScreen.Pack(FixedPointScreen.Fraction(_x[i], sx), FixedPointScreen.Fraction(_y[i], sy));
            _zq[i] = FixedPointScreen.Fraction(_z[i], sz);
        }
    }

    private void Remember(State state)
    {
        var n = state.Count;
        if (_sourceX.Length != n) { _sourceX = new double[n]; _sourceY = new double[n]; _sourceZ = new double[n]; }
        state.X.AsSpan(0, n).CopyTo(_sourceX); state.Y.AsSpan(0, n).CopyTo(_sourceY); state.Z.AsSpan(0, n).CopyTo(_sourceZ);
        _sourceBox = state.Box;
    }

    /// <summary>
    /// Every particle of every cell against the runs of its cell's forward half-stencil (<see cref="CellRows"/>), gathered
    /// into one row per cell: the scan's screen and test (slot a screens the row from just after itself, the own row's
    /// run starting at the cell's first slot); pairs in the cells' order, grouped by first partner.
    /// </summary>
    private void CellPairs<TAxes>(Box box, TAxes axes, in PeriodicLanes periodic, double r2max, Vector256<int> screen) where TAxes : struct, IScreenAxes
    {
        var rows = _rows;
        var start = rows.Start;
        Span<int> runs = stackalloc int[CellRows.MaxRunEntries];
        for (var cz = 0; cz < rows.Nz; cz++)
            for (var cy = 0; cy < rows.Ny; cy++)
                for (var cx = 0; cx < rows.Nx; cx++)
                {
                    var c = (cz * rows.Ny + cy) * rows.Nx + cx;
                    int begin = start[c], end = start[c + 1];
                    if (begin == end) continue;
                    var length = rows.ForwardRuns(cx, cy, cz, runs);
                    if (Avx2.IsSupported)
                    {
                        var near = rows.Gather(runs[..length]);
                        for (var a = begin; a < end; a++) CellCandidates(a, a - begin + 1, near, axes, in periodic, r2max, screen);
                    }
                    else
                        for (var a = begin; a < end; a++)
                        {
                            runs[0] = a + 1;
                            for (var r = 0; r < length; r += 2)
                                for (var b = runs[r]; b < runs[r + 1]; b++) Pair(rows.X, rows.Y, rows.Z, a, b, rows.Order[a], rows.Order[b], box, r2max);
                        }
                }
    }

    /// <summary>
    /// Slot <paramref name="a"/> against the gathered row of its cell's neighbourhood from <paramref name="from"/> to
    /// <paramref name="near"/>. A method of its own (not inlined into <see cref="CellPairs"/>): the loop nest with it
    /// inlined ran 5–10 % slower from 1,372 to 13,500 particles.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CellCandidates<TAxes>(int a, int from, int near, TAxes axes, in PeriodicLanes periodic, double r2max, Vector256<int> screen)
        where TAxes : struct, IScreenAxes
    {
        var rows = _rows;
        var m = Screen(rows.Xy[a], rows.Zq[a], rows.NearXy, rows.NearZ, rows.NearSlot, from, near, axes, screen);
        Test(m, a, rows.Order[a], rows.X, rows.Y, rows.Z, new SlotOrder(rows.Order), rows.Count, in periodic, r2max);
    }

    /// <summary>Every pair (i, j), j &gt; i, a row of first partners at a time.</summary>
    private void ScanAllRows<TAxes>(int n, TAxes axes, in PeriodicLanes periodic, double r2max, Vector256<int> screen) where TAxes : struct, IScreenAxes
    {
        for (var i = 0; i < n - 1; i++) ScanAll(i, n, axes, in periodic, r2max, screen);
    }

    /// <summary>Particle i against the particles after it.</summary>
    private void ScanAll<TAxes>(int i, int n, TAxes axes, in PeriodicLanes periodic, double r2max, Vector256<int> screen) where TAxes : struct, IScreenAxes
    {
        var m = Screen(_xy[i], _zq[i], _xy, _zq, _identity, i + 1, n, axes, screen);
        Test(m, i, i, _x, _y, _z, new Unordered(), n, in periodic, r2max);
    }

    /// <summary>
    /// The row <paramref name="from"/> … <paramref name="end"/> of the fixed-point positions (<paramref name="xy"/>,
    /// <paramref name="z"/>) within the screen of (<paramref name="xyi"/>, <paramref name="zi"/>), eight at a time, the
    /// last vector masked: their <paramref name="slots"/> left-packed into the candidate row. Every vector stores all its
    /// lanes and advances the count by its hits: no branch per hit. Returns the number of candidates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Screen<TAxes>(int xyi, int zi, int[] xy, int[] z, int[] slots, int from, int end, TAxes axes, Vector256<int> limit)
        where TAxes : struct, IScreenAxes
    {
        ref var candidates = ref MemoryMarshal.GetArrayDataReference(_candidates);
        ref var xy0 = ref MemoryMarshal.GetArrayDataReference(xy);
        ref var z0 = ref MemoryMarshal.GetArrayDataReference(z);
        ref var slot0 = ref MemoryMarshal.GetArrayDataReference(slots);
        var vxy = Vector256.Create(xyi).AsInt16();
        var vz = Vector256.Create(zi).AsInt16();
        const int width = 8;
        var m = 0;
        var b = from;
        for (; b + width <= end; b += width)
        {
            var hits = FixedPointScreen.Hits(vxy, vz, ref xy0, ref z0, b, axes, limit);
            Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref slot0, (nuint)b), LeftPack.Lanes(hits)).StoreUnsafe(ref candidates, (nuint)m);
            m += BitOperations.PopCount(hits);
        }
        if (b < end)
        {
            var hits = FixedPointScreen.Hits(vxy, vz, ref xy0, ref z0, b, axes, limit) & FixedPointScreen.Tail(end - b);
            Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref slot0, (nuint)b), LeftPack.Lanes(hits)).StoreUnsafe(ref candidates, (nuint)m);
            m += BitOperations.PopCount(hits);
        }
        return m;
    }

    /// <summary>
    /// Tests the <paramref name="m"/> candidate slots against slot <paramref name="a"/> (particle
    /// <paramref name="particle"/>) in double precision, four at a time, and stores the pairs within the cutoff, their
    /// partners numbered through <paramref name="order"/>. The lanes past the last candidate read the first ghost slot,
    /// <paramref name="ghost"/>, which fails the test.
    /// </summary>
    /// <remarks>
    /// Nearly every candidate passes (the screen's margin is thin), so four hits are stored as they are: the permutes
    /// that pack them (three micro-ops each on Zen 1) are left to the row's last vector and the few candidates inside
    /// the margin.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Test<TOrder>(int m, int a, int particle, double[] x, double[] y, double[] z, TOrder order, int ghost, in PeriodicLanes periodic, double r2max)
        where TOrder : struct, ISlotOrder
    {
        ref var candidates = ref MemoryMarshal.GetArrayDataReference(_candidates);
        Vector128.Create(ghost).StoreUnsafe(ref candidates, (nuint)m);
        var xa = Vector256.Create(x[a]); var ya = Vector256.Create(y[a]); var za = Vector256.Create(z[a]);
        var limit = Vector256.Create(r2max);
        var iv = Vector128.Create(particle);
        ref var x0 = ref MemoryMarshal.GetArrayDataReference(x);
        ref var y0 = ref MemoryMarshal.GetArrayDataReference(y);
        ref var z0 = ref MemoryMarshal.GetArrayDataReference(z);
        while (Count + m + Vector256<double>.Count > _pi.Length) Grow();
        ref var pi = ref MemoryMarshal.GetArrayDataReference(_pi);
        ref var pj = ref MemoryMarshal.GetArrayDataReference(_pj);
        ref var pr = ref MemoryMarshal.GetArrayDataReference(_pr);
        ref var pdx = ref MemoryMarshal.GetArrayDataReference(_pdx);
        ref var pdy = ref MemoryMarshal.GetArrayDataReference(_pdy);
        ref var pdz = ref MemoryMarshal.GetArrayDataReference(_pdz);
        var count = Count;
        for (var q = 0; q < m; q += Vector256<double>.Count)
        {
            int b0 = Unsafe.Add(ref candidates, q), b1 = Unsafe.Add(ref candidates, q + 1);
            int b2 = Unsafe.Add(ref candidates, q + 2), b3 = Unsafe.Add(ref candidates, q + 3);
            var s = periodic.WrappedSeparation(ref x0, ref y0, ref z0, xa, ya, za, b0, b1, b2, b3, out var dx, out var dy, out var dz);
            var hits = (uint)Vector256.LessThan(s, limit).ExtractMostSignificantBits();
            var js = order.Particles(ref candidates, q, b0, b1, b2, b3);
            var at = (nuint)count;
            iv.StoreUnsafe(ref pi, at);
            if (hits != 0b1111)
            {
                var lanes = LeftPack.Lanes(hits);
                var pack = PackDoubles[hits];
                js = Avx.PermuteVar(js.AsSingle(), lanes.GetLower()).AsInt32();
                (s, dx, dy, dz) = (Pack(s, pack), Pack(dx, pack), Pack(dy, pack), Pack(dz, pack));
            }
            js.StoreUnsafe(ref pj, at);
            // The square roots run beside the rest of the test rather than in a pass of their own.
            Vector256.Sqrt(s).StoreUnsafe(ref pr, at);
            dx.StoreUnsafe(ref pdx, at);
            dy.StoreUnsafe(ref pdy, at);
            dz.StoreUnsafe(ref pdz, at);
            count += BitOperations.PopCount(hits);
        }
        Count = count;
    }

    /// <summary>The particles of four candidate slots, for <see cref="Test"/>: generic, so that the scan pays no lookup.</summary>
    private interface ISlotOrder
    {
        Vector128<int> Particles(ref int candidates, int q, int b0, int b1, int b2, int b3);
    }

    /// <summary>The all-pairs scan's slots are the particles.</summary>
    private readonly struct Unordered : ISlotOrder
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<int> Particles(ref int candidates, int q, int b0, int b1, int b2, int b3) => Vector128.LoadUnsafe(ref candidates, (nuint)q);
    }

    /// <summary>The cell search's slots are in cell order: <paramref name="order"/> maps them to particles.</summary>
    private readonly struct SlotOrder(int[] order) : ISlotOrder
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<int> Particles(ref int candidates, int q, int b0, int b1, int b2, int b3)
        {
            ref var o = ref MemoryMarshal.GetArrayDataReference(order);
            return Vector128.Create(Unsafe.Add(ref o, b0), Unsafe.Add(ref o, b1), Unsafe.Add(ref o, b2), Unsafe.Add(ref o, b3));
        }
    }

    /// <summary>The lanes of <paramref name="v"/> chosen by a <see cref="PackDoubles"/> row, first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Pack(Vector256<double> v, Vector256<int> lanes) => Avx2.PermuteVar8x32(v.AsSingle(), lanes).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(int i, int j, double r, double dx, double dy, double dz)
    {
        if (Count + Vector256<double>.Count > _pi.Length) Grow();
        _pi[Count] = i; _pj[Count] = j; _pr[Count] = r;
        _pdx[Count] = dx; _pdy[Count] = dy; _pdz[Count] = dz;
        Count++;
    }

    private void Grow()
    {
        var size = 2 * _pi.Length;
        Array.Resize(ref _pi, size); Array.Resize(ref _pj, size); Array.Resize(ref _pr, size);
        Array.Resize(ref _pdx, size); Array.Resize(ref _pdy, size); Array.Resize(ref _pdz, size);
    }

    /// <summary>Slots a and b of (x, y, z), stored as the pair (i, j) if closer than the cutoff: the test without vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Pair(double[] x, double[] y, double[] z, int a, int b, int i, int j, Box box, double r2max)
    {
        var dx = x[a] - x[b]; dx -= box.Lx * Math.Round(dx * (1 / box.Lx));
        var dy = y[a] - y[b]; dy -= box.Ly * Math.Round(dy * (1 / box.Ly));
        var dz = z[a] - z[b]; dz -= box.Lz * Math.Round(dz * (1 / box.Lz));
        var r2 = dx * dx + dy * dy + dz * dz;
        if (r2 < r2max) Add(i, j, Math.Sqrt(r2), dx, dy, dz);
    }
}
