using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Adjoint;
using DiffSim.Systems;

namespace DiffSim.Observables;

/// <summary>
/// A differentiable radial distribution function: every partial g_ab(r), a ≤ b, from a Gaussian-smeared pair histogram
/// (Wang et al., J. Chem. Phys. 158, 044113 (2023)), averaged over the frames of a window.
/// </summary>
/// <remarks>
/// <para>Bins are uniform on [r_min, r_max]; bin k spans [e_k, e_{k+1}]. An ordered pair (i, j) at distance r adds to bin k the
/// exact bin integral of a Gaussian of width σ centred on r, W_k(r) = S((e_{k+1} − r)/σ) − S((e_k − r)/σ) (truncated at
/// ±5σ; see <see cref="SmearingKernel"/>; interpolated to ≈ 2e-10 by <see cref="SmearedBinWeights"/>), and one frame's g is that smeared count times V / (N_a N_b' ΔV_k),
/// N_b' = N_b − δ_ab, exactly as <see cref="PairHistogram"/> normalises its counts; as σ → 0 the two agree.</para>
/// <para>Type pairs: g_ab for a ≤ b counts the ordered pairs (i, j) with (t_i, t_j) = (a, b), which is what
/// <see cref="PairHistogram.Rdf"/>(a, b) counts; since (i, j) and (j, i) are both ordered pairs, g_ab = g_ba, and an unordered
/// pair of types (a, a) adds 2, one of types a ≠ b adds 1 to the partial (min, max).</para>
/// <para>The value is the concatenation of the partials in <see cref="PairOrder"/>: (0,0), (0,1), …, (0,T−1), (1,1), …, each
/// <see cref="Bins"/> long; element p · Bins + k is g_p at <see cref="Centres"/>[k].</para>
/// <para>Pairs are searched to r_max + 5σ, but no further than half the box's shortest edge, the minimum-image limit:
/// when r_max + 5σ exceeds it, the last few bins miss the tails of pairs beyond it (exclude them from the loss).</para>
/// </remarks>
public sealed class SmearedRdf : IWindowObservable, IFramePairSource
{
    /// <summary>Bytes of collected pairs and their placements kept for the reverse pass; frames past it are searched and placed again there.</summary>
    private const long FramePairBudget = 32L << 20;

    // One search and placement per frame of the window, so that Backward finds the frame's pairs, and where they fall
    // in the bins, as Accumulate left them.
    private readonly List<PairSearch> _frames = [];
    private readonly List<Placement> _placements = [];
    private readonly PairSearch _search = new();
    private readonly Placement _shared = new();
    private readonly (int A, int B)[] _pairOrder;
    private readonly int[] _partialOf;
    private readonly SmearedBinWeights _weights;
    private readonly double[] _centres, _edges;
    private readonly double[] _sum, _value, _normalisation;
    private readonly int _pad, _row, _sink;
    private readonly double[] _padded;
    // The placement the kernels read (a frame's or the shared one): each pair's first padded bin (or the sink), table
    // row and position in the row's interval.
    private int[] _bin = [], _tableRow = [];
    private double[] _fraction = [];
    private readonly int[] _typeCounts;
    private bool _valueStale;

    /// <param name="typeCount">Number of particle types T; the value holds T(T+1)/2 partials.</param>
    /// <param name="bins">Number of bins on [rMin, rMax].</param>
    /// <param name="rMin">Inner edge of the first bin (≥ 0).</param>
    /// <param name="rMax">Outer edge of the last bin; must not exceed half the box's shortest edge.</param>
    /// <param name="sigma">Standard deviation of the Gaussian smearing (length units), &gt; 0.</param>
    public SmearedRdf(int typeCount, int bins, double rMin, double rMax, double sigma)
    {
        if (typeCount < 1) throw new ArgumentException($"smeared rdf needs at least 1 particle type, got {typeCount}");
        if (bins < 1) throw new ArgumentException($"smeared rdf bins must be at least 1, got {bins}");
        if (!(rMin >= 0)) throw new ArgumentException($"smeared rdf rmin must be non-negative, got {rMin}");
        if (!(rMax > rMin)) throw new ArgumentException($"smeared rdf rmax ({rMax}) must exceed rmin ({rMin})");
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentException($"smeared rdf sigma must be positive, got {sigma}");
        TypeCount = typeCount;
        Bins = bins;
        RMin = rMin;
        RMax = rMax;
        Sigma = sigma;
        BinWidth = (rMax - rMin) / bins;

        var pairs = new List<(int, int)>();
        _partialOf = new int[typeCount * typeCount];
        for (var a = 0; a < typeCount; a++)
            for (var b = a; b < typeCount; b++)
            {
                _partialOf[a * typeCount + b] = _partialOf[b * typeCount + a] = pairs.Count;
                pairs.Add((a, b));
            }
        _pairOrder = [.. pairs];

        _edges = new double[bins + 1];
        for (var k = 0; k <= bins; k++) _edges[k] = rMin + k * BinWidth;
        _edges[bins] = rMax;
        _centres = new double[bins];
        for (var k = 0; k < bins; k++) _centres[k] = 0.5 * (_edges[k] + _edges[k + 1]);

        Length = _pairOrder.Length * bins;
        _sum = new double[Length];
        _value = new double[Length];
        _normalisation = new double[Length];
        _typeCounts = new int[typeCount];
        _weights = new SmearedBinWeights(BinWidth, sigma);
        // Each partial's bins sit between guard bins as wide as a pair's reach, so the kernel writes whole rows unchecked;
        // past the last partial, a sink row that pairs out of range add to and take zeros from, so no pair is skipped.
        _pad = _weights.Span;
        _row = bins + 2 * _pad;
        _sink = _pairOrder.Length * _row;
        _padded = new double[_sink + _pad];
    }

    public int TypeCount { get; }
    public int Bins { get; }
    public double RMin { get; }
    public double RMax { get; }
    public double Sigma { get; }
    public double BinWidth { get; }

    /// <summary>Number of partials, T(T+1)/2.</summary>
    public int PartialCount => _pairOrder.Length;

    /// <summary>The type pair (a, b), a ≤ b, of each partial, in value order.</summary>
    public IReadOnlyList<(int A, int B)> PairOrder => _pairOrder;

    /// <summary>Bin centres (length <see cref="Bins"/>).</summary>
    public IReadOnlyList<double> Centres => _centres;

    /// <summary>Bin edges (length <see cref="Bins"/> + 1).</summary>
    public IReadOnlyList<double> Edges => _edges;

    /// <summary>Index of the partial g_ab in <see cref="PairOrder"/>; symmetric in a and b.</summary>
    public int PartialIndex(int a, int b)
    {
        if ((uint)a >= (uint)TypeCount || (uint)b >= (uint)TypeCount)
            throw new ArgumentOutOfRangeException(nameof(a), $"type pair ({a}, {b}) is outside the {TypeCount} types of this rdf");
        return _partialOf[a * TypeCount + b];
    }

    /// <summary>The window average of g_ab (a slice of <see cref="Value"/>).</summary>
    public ReadOnlySpan<double> Partial(int a, int b) => Value.Slice(PartialIndex(a, b) * Bins, Bins);

    public int Length { get; }

    public int Frames { get; private set; }

    public ReadOnlySpan<double> Value
    {
        get
        {
            if (_valueStale)
            {
                var inv = Frames > 0 ? 1.0 / Frames : 0.0;
                for (var i = 0; i < Length; i++) _value[i] = _sum[i] * inv;
                _valueStale = false;
            }
            return _value;
        }
    }

    public void Reset()
    {
        Array.Clear(_sum);
        Array.Clear(_value);
        Frames = 0;
        _valueStale = false;
    }

    public void Accumulate(int frame, State state)
    {
        if (frame != Frames) throw new ArgumentException($"smeared rdf expects frame {Frames} next, got frame {frame}; frames must come in order 0, 1, 2, … after Reset");
        Check(state);
        Array.Clear(_padded);
        var search = FrameSearch(frame);
        search.Collect(state, SearchCutoff(state.Box));
        Place(state.TypeOf, search, search == _search ? _shared : _placements[frame]);
        AddCounts(search);
        UpdateNormalisation(state);
        for (var p = 0; p < _pairOrder.Length; p++)
            for (var k = 0; k < Bins; k++) _sum[p * Bins + k] += _normalisation[p * Bins + k] * _padded[p * _row + _pad + k];
        Frames++;
        _valueStale = true;
    }

    public void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient)
    {
        if ((uint)frame >= (uint)Frames) throw new ArgumentOutOfRangeException(nameof(frame), $"smeared rdf has {Frames} frames, got frame {frame}");
        if (dLossdValue.Length != Length) throw new ArgumentException($"smeared rdf: ∂L/∂O has length {dLossdValue.Length}, expected {Length}");
        if (gradient.Count != state.Count) throw new ArgumentException($"smeared rdf: gradient has {gradient.Count} particles, the state {state.Count}");
        Check(state);
        // O = (1/F) Σ_f norm ⊙ counts_f, so the frame's ∂L/∂counts is (1/F) norm ⊙ ∂L/∂O (zero in the guard bins).
        UpdateNormalisation(state);
        Array.Clear(_padded);
        var scale = 1.0 / Frames;
        for (var p = 0; p < _pairOrder.Length; p++)
            for (var k = 0; k < Bins; k++) _padded[p * _row + _pad + k] = scale * _normalisation[p * Bins + k] * dLossdValue[p * Bins + k];
        var search = frame < _frames.Count && _frames[frame].Holds(state) ? _frames[frame] : _search;
        if (search == _search)
        {
            search.Collect(state, SearchCutoff(state.Box));
            Place(state.TypeOf, search, _shared);
        }
        else Use(_placements[frame]);
        AddGradient(gradient, search);
    }

    /// <summary>The frame's own search, if it has one (the caller checks that it holds the frame's state).</summary>
    PairSearch? IFramePairSource.FramePairs(int frame, State state) => frame < _frames.Count ? _frames[frame] : null;

    /// <summary>The frame's own search while the frames' pairs fit <see cref="FramePairBudget"/>, else the shared one.</summary>
    private PairSearch FrameSearch(int frame)
    {
        if (frame < _frames.Count) return _frames[frame];
        if (_frames.Sum(f => f.Bytes) + _placements.Sum(p => p.Bytes) > FramePairBudget) return _search;
        _frames.Add(new PairSearch());
        _placements.Add(new Placement());
        return _frames[frame];
    }

    private void Check(State state)
    {
        if (state.Types.Count != TypeCount)
            throw new ArgumentException($"smeared rdf was built for {TypeCount} particle types but the state has {state.Types.Count}");
        state.Box.EnsureFits(RMax);
    }

    private double SearchCutoff(Box box) => Math.Min(RMax + SmearingKernel.Reach * Sigma, 0.5 * box.MinEdge);

    /// <summary>
    /// V / (N_a N_b' ΔV_k) of each partial's bins, for the state's volume and composition, times the ordered pairs
    /// that each unordered pair the kernels count stands for.
    /// </summary>
    private void UpdateNormalisation(State state)
    {
        Array.Clear(_typeCounts);
        foreach (var t in state.TypeOf) _typeCounts[t]++;
        var volume = state.Box.Volume;
        for (var p = 0; p < _pairOrder.Length; p++)
        {
            var (a, b) = _pairOrder[p];
            for (var k = 0; k < Bins; k++)
                _normalisation[p * Bins + k] = OrderedPairs(a, b) * PairHistogram.Normalisation(volume, _typeCounts[a], _typeCounts[b], a == b, _edges[k], _edges[k + 1]);
        }
    }

    /// <summary>Ordered pairs per unordered pair of types (a, b): the kernels count unordered pairs, the partials ordered ones.</summary>
    private static double OrderedPairs(int a, int b) => a == b ? 2.0 : 1.0;

    /// <summary>
    /// Places every collected pair, four at a time: with t = (r − r_min)/Δ (edge k at t = k), its nearest edge e, its
    /// first bin e + <see cref="SmearedBinWeights.First"/> in its partial's padded row (the sink when none of its bins
    /// is in range) and, from the offset φ = t − e, the table row and the position f ∈ [0, 1) in it
    /// (<see cref="SmearedBinWeights.Locate"/>). The search's arrays hold whole vectors past the count; the places past
    /// it are the sink's, so that the kernels may run whole vectors of pairs.
    /// </summary>
    private void Place(int[] types, PairSearch search, Placement placement)
    {
        var count = search.Count;
        if (placement.Bin.Length < count + 4)
        {
            placement.Bin = new int[count + count / 4 + 4];
            placement.TableRow = new int[placement.Bin.Length];
            placement.Fraction = new double[placement.Bin.Length];
        }
        Use(placement);
        var weights = _weights;
        int first = weights.First, stride = weights.Stride, intervals = weights.Intervals, span = weights.Span;
        int bins = Bins, pad = _pad, sink = _sink;
        double rMin = RMin, inverseWidth = 1.0 / BinWidth;
        var pr = search.R;
        var p = 0;
        if (Avx.IsSupported)
        {
            var half = Vector256.Create(0.5);
            ref var r = ref MemoryMarshal.GetReference(pr);
            for (; p + 4 <= count; p += 4)
            {
                var t = (Vector256.LoadUnsafe(ref r, (nuint)p) - Vector256.Create(rMin)) * Vector256.Create(inverseWidth);
                var edge = Vector256.Floor(t + half);
                var x = (t - edge + half) * Vector256.Create((double)intervals);
                var q = Vector256.Min(Vector256.Floor(x), Vector256.Create(intervals - 1.0));
                (x - q).StoreUnsafe(ref _fraction[p]);
                var lo = Avx.ConvertToVector128Int32WithTruncation(edge) + Vector128.Create(first);
                // Bins lo … lo + span − 1 must meet 0 … bins − 1.
                var inRange = Vector128.GreaterThan(lo, Vector128.Create(-span)) & Vector128.LessThan(lo, Vector128.Create(bins));
                Vector128.ConditionalSelect(inRange, lo + Vector128.Create(pad), Vector128.Create(sink)).StoreUnsafe(ref _bin[p]);
                (Avx.ConvertToVector128Int32WithTruncation(q) * Vector128.Create(stride)).StoreUnsafe(ref _tableRow[p]);
            }
        }
        for (; p < count; p++)
        {
            var t = (pr[p] - rMin) * inverseWidth;
            var edge = Math.Floor(t + 0.5);
            var lo = (int)edge + first;
            _bin[p] = lo > -span && lo < bins ? lo + pad : sink;
            _tableRow[p] = weights.Locate(t - edge, out _fraction[p]) * stride;
        }
        _bin.AsSpan(count, 4).Fill(sink);
        _tableRow.AsSpan(count, 4).Clear();
        _fraction.AsSpan(count, 4).Clear();
        if (TypeCount == 1) return;
        var pi = search.I; var pj = search.J;
        for (p = 0; p < count; p++)
            if (_bin[p] != sink) _bin[p] += _partialOf[types[pi[p]] * TypeCount + types[pj[p]]] * _row;
    }

    /// <summary>
    /// Adds every collected pair's weights W_m (<see cref="SmearedBinWeights"/>) to its partial's padded bins, 4 bins at
    /// a time as c₀ + f(c₁ + f(c₂ + f c₃)) from the pair's table row (<see cref="Place"/>).
    /// </summary>
    private void AddCounts(PairSearch search)
    {
        var vectors = _weights.Vectors;
        ref var table = ref MemoryMarshal.GetArrayDataReference(_weights.Coefficients);
        ref var counts = ref MemoryMarshal.GetArrayDataReference(_padded);
        for (var p = 0; p < search.Count; p++)
        {
            var f = Vector256.Create(_fraction[p]);
            ref var c = ref Unsafe.Add(ref table, _tableRow[p]);
            ref var bin = ref Unsafe.Add(ref counts, _bin[p]);
            for (var v = 0; v < vectors; v++)
            {
                var w = Vector256.MultiplyAddEstimate(Vector256.MultiplyAddEstimate(Vector256.MultiplyAddEstimate(
                    Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 12)), f, Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 8))), f,
                    Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 4))), f, Vector256.LoadUnsafe(ref c, (nuint)(16 * v)));
                (Vector256.LoadUnsafe(ref bin, (nuint)(4 * v)) + w).StoreUnsafe(ref bin, (nuint)(4 * v));
            }
        }
    }

    /// <summary>
    /// Adds ∂L/∂x of every collected pair from the frame's ∂L/∂counts (in the padded bins), four pairs at a time: with
    /// t = (r − r_min)/Δ, ∂L/∂r = Σ_m c_m dW_m/dφ / Δ, and dW_m/dφ is the derivative of the same cubic,
    /// n_int (c₁ + 2c₂f + 3c₃f²). The four sums and their quotients by r are taken as one vector. The pairs are placed
    /// already: by Accumulate for a frame whose pairs are kept, else just before.
    /// </summary>
    private void AddGradient(PhaseSpaceGradient gradient, PairSearch search)
    {
        var count = search.Count;
        ref var gx = ref MemoryMarshal.GetArrayDataReference(gradient.X);
        ref var gy = ref MemoryMarshal.GetArrayDataReference(gradient.Y);
        ref var gz = ref MemoryMarshal.GetArrayDataReference(gradient.Z);
        var slopeScale = Vector256.Create(_weights.Intervals / BinWidth);
        ref var r = ref MemoryMarshal.GetReference(search.R);
        ref var pdx = ref MemoryMarshal.GetReference(search.Dx);
        ref var pdy = ref MemoryMarshal.GetReference(search.Dy);
        ref var pdz = ref MemoryMarshal.GetReference(search.Dz);
        var pi = search.I; var pj = search.J;
        for (var p = 0; p < count; p += 4)
        {
            var sums = Sums(Slopes(p), Slopes(p + 1), Slopes(p + 2), Slopes(p + 3));
            // ∂r/∂x_i = (x_i − x_j)/r = −∂r/∂x_j; coincident particles (r = 0, only when r_min = 0) add nothing.
            var rp = Vector256.LoadUnsafe(ref r, (nuint)p);
            var dLdrOverR = Vector256.AndNot(slopeScale * sums / rp, Vector256.Equals(rp, Vector256<double>.Zero));
            var fx = dLdrOverR * Vector256.LoadUnsafe(ref pdx, (nuint)p);
            var fy = dLdrOverR * Vector256.LoadUnsafe(ref pdy, (nuint)p);
            var fz = dLdrOverR * Vector256.LoadUnsafe(ref pdz, (nuint)p);
            // The last vector may hold fewer than four pairs; its other lanes are not pairs.
            var pairs = count - p;
            Scatter(ref gx, ref gy, ref gz, pi[p], pj[p], fx.GetElement(0), fy.GetElement(0), fz.GetElement(0));
            if (pairs > 1) Scatter(ref gx, ref gy, ref gz, pi[p + 1], pj[p + 1], fx.GetElement(1), fy.GetElement(1), fz.GetElement(1));
            if (pairs > 2) Scatter(ref gx, ref gy, ref gz, pi[p + 2], pj[p + 2], fx.GetElement(2), fy.GetElement(2), fz.GetElement(2));
            if (pairs > 3) Scatter(ref gx, ref gy, ref gz, pi[p + 3], pj[p + 3], fx.GetElement(3), fy.GetElement(3), fz.GetElement(3));
        }
    }

    /// <summary>Makes the kernels read <paramref name="placement"/>.</summary>
    private void Use(Placement placement) => (_bin, _tableRow, _fraction) = (placement.Bin, placement.TableRow, placement.Fraction);

    /// <summary>Where a search's pairs fall: their first padded bins, table rows and positions in their intervals (<see cref="Place"/>).</summary>
    private sealed class Placement
    {
        public int[] Bin = [], TableRow = [];
        public double[] Fraction = [];

        public long Bytes => (long)Bin.Length * (2 * sizeof(int) + sizeof(double));
    }

    /// <summary>∂L/∂x_i += a, ∂L/∂x_j −= a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter(ref double gx, ref double gy, ref double gz, int i, int j, double ax, double ay, double az)
    {
        Unsafe.Add(ref gx, i) += ax; Unsafe.Add(ref gy, i) += ay; Unsafe.Add(ref gz, i) += az;
        Unsafe.Add(ref gx, j) -= ax; Unsafe.Add(ref gy, j) -= ay; Unsafe.Add(ref gz, j) -= az;
    }

    /// <summary>Σ_m c_m dW_m/dφ / n_int of pair p, in four lanes to be summed (<see cref="AddGradient"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<double> Slopes(int p)
    {
        ref var c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights.Coefficients), _tableRow[p]);
        ref var coefficient = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_padded), _bin[p]);
        var fraction = _fraction[p];
        var f2 = Vector256.Create(2 * fraction);
        var f3 = Vector256.Create(3 * fraction * fraction);
        var sum = Vector256<double>.Zero;
        for (var v = 0; v < _weights.Vectors; v++)
        {
            var slope = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 12)), f3,
                Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 8)), f2, Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 4))));
            sum = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref coefficient, (nuint)(4 * v)), slope, sum);
        }
        return sum;
    }

    /// <summary>The lane sums of four vectors, as one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Sums(Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d)
    {
        if (!Avx.IsSupported) return Vector256.Create(Vector256.Sum(a), Vector256.Sum(b), Vector256.Sum(c), Vector256.Sum(d));
        var ab = Avx.HorizontalAdd(a, b); // a₀+a₁, b₀+b₁, a₂+a₃, b₂+b₃
        var cd = Avx.HorizontalAdd(c, d);
        return Avx.Permute2x128(ab, cd, 0x20) + Avx.Permute2x128(ab, cd, 0x31);
    }
}
