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
/// ±5σ; see <see cref="SmearingKernel"/>; interpolated to ≈ 4e-8 by <see cref="SmearedBinWeights"/>), and one frame's g is that smeared count times V / (N_a N_b' ΔV_k),
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
    /// <summary>
    /// Bytes of collected pairs and their placements kept for the reverse pass; frames past it are searched and placed
    /// again there. 56 bytes a pair: 128 MiB keep the 12 frames of a 2,048-atom liquid at an RDF range of 3.4σ (32 MiB kept
    /// five, and its float training step took 151 instead of 130 ms).
    /// </summary>
    private const long FramePairBudget = 128L << 20;

    /// <summary>
    /// Most (first bin, interval) cells for which the pairs are counted as moments (4 MiB of them): the pass from
    /// moments to counts visits every cell once a window, which outgrows the pairs' own work only for smearing much
    /// narrower than a bin (σ = Δ/100 on 300 bins would take 5 million cells).
    /// </summary>
    private const long MomentCells = 1 << 17;

    // One search and placement per frame of the window, so that Backward finds the frame's pairs, and where they fall
    // in the bins, as Accumulate left them.
    private readonly List<PairSearch> _frames = [];
    private readonly List<Placement> _placements = [];
    private readonly PairSearch _search = new();
    private readonly Placement _shared = new();
    private readonly (int A, int B)[] _pairOrder;
    private readonly int[] _partialOf;
    private readonly SmearedBinWeights _weights;
    private readonly SmearedSlopeTable _slopes;
    // The window's pairs as moments per (first bin, interval) cell, and the normalisation they are counted under;
    // none when the cells would pass MomentCells (narrow smearing), where each frame's pairs add their weights directly.
    private readonly SmearedMoments? _moments;
    private readonly double[] _momentNormalisation;
    private readonly double[] _centres, _edges;
    private readonly double[] _sum, _value, _normalisation;
    private readonly int _pad, _row, _sink;
    private readonly double[] _padded;
    // The placement the kernels read (a frame's or the shared one): each pair's first padded bin (or the sink),
    // interpolation interval and position in the interval.
    private int[] _bin = [], _interval = [];
    private double[] _fraction = [];
    // ∂L/∂r / r of each pair, between the two passes of the reverse pass.
    private double[] _dLdrOverR = [];
    private readonly int[] _typeCounts;
    // The volume and type counts _normalisation was computed for (NaN: none yet).
    private double _normalisedVolume = double.NaN;
    private readonly int[] _normalisedCounts;
    private bool _valueStale;

    /// <param name="typeCount">Number of particle types T; the value holds T(T+1)/2 partials.</param>
    /// <param name="bins">Number of bins on [rMin, rMax].</param>
    /// <param name="rMin">Inner edge of the first bin (≥ 0).</param>
    /// <param name="rMax">Outer edge of the last bin; must not exceed half the box's shortest edge.</param>
    /// <param name="sigma">Standard deviation of the Gaussian smearing (length units), &gt; 0.</param>
    public SmearedRdf(int typeCount, int bins, double rMin, double rMax, double sigma)
        : this(typeCount, bins, rMin, rMax, sigma, MomentCells)
    {
    }

    /// <summary>
    /// The public constructor with the most (first bin, interval) cells for counting as moments given
    /// (<see cref="MomentCells"/> there; 0: every frame adds its pairs' weights directly).
    /// </summary>
    internal SmearedRdf(int typeCount, int bins, double rMin, double rMax, double sigma, long momentCells)
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
        _normalisedCounts = new int[typeCount];
        _weights = new SmearedBinWeights(BinWidth, sigma);
        _slopes = new SmearedSlopeTable(_weights);
        // Each partial's bins sit between guard bins as wide as a pair's reach, so the kernel writes whole rows unchecked;
        // past the last partial, a sink row that pairs out of range add to and take zeros from, so no pair is skipped.
        _pad = _weights.Span;
        _row = bins + 2 * _pad;
        _sink = _pairOrder.Length * _row;
        _padded = new double[_sink + _pad];
        if ((long)(_sink + 1) * _weights.Intervals <= momentCells) _moments = new SmearedMoments(_weights, _sink + 1);
        _momentNormalisation = new double[Length];
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
                FlushMoments();
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
        _moments?.Clear();
        Frames = 0;
        _valueStale = false;
    }

    public void Accumulate(int frame, State state)
    {
        if (frame != Frames) throw new ArgumentException($"smeared rdf expects frame {Frames} next, got frame {frame}; frames must come in order 0, 1, 2, … after Reset");
        Check(state);
        var search = FrameSearch(frame);
        search.Collect(state, SearchCutoff(state.Box));
        Place(state.TypeOf, search, search == _search ? _shared : _placements[frame]);
        UpdateNormalisation(state);
        if (_moments is null)
        {
            Array.Clear(_padded);
            AddCounts(search);
            AddToSum(_normalisation);
        }
        else
        {
            // Frames of one normalisation (a fixed box and composition: every frame of an NVT window) share one pass
            // from the moments to the counts; a frame with another flushes the moments before it.
            if (_moments.Pending && !_normalisation.AsSpan().SequenceEqual(_momentNormalisation)) FlushMoments();
            if (!_moments.Pending) _normalisation.CopyTo(_momentNormalisation, 0);
            _moments.Add(search.Count, _bin, _interval, _fraction);
        }
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

    /// <summary>Adds the counts of the frames gathered as moments, times their normalisation, to the window's sum.</summary>
    private void FlushMoments()
    {
        if (_moments is not { Pending: true }) return;
        Array.Clear(_padded);
        _moments.MoveTo(_padded);
        AddToSum(_momentNormalisation);
    }

    /// <summary>Adds the counts in the padded bins, times <paramref name="normalisation"/>, to the window's sum.</summary>
    private void AddToSum(double[] normalisation)
    {
        for (var p = 0; p < _pairOrder.Length; p++)
            for (var k = 0; k < Bins; k++) _sum[p * Bins + k] += normalisation[p * Bins + k] * _padded[p * _row + _pad + k];
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
        // Every frame of an NVT window, forward and backward, has the volume and composition of the last: 24 passes
        // over the bins a window for the paper's 12 frames, 0.5 % of the float training step's profile.
        if (volume == _normalisedVolume && _typeCounts.AsSpan().SequenceEqual(_normalisedCounts)) return;
        _normalisedVolume = volume;
        _typeCounts.CopyTo(_normalisedCounts, 0);
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
    /// is in range) and, from the offset φ = t − e, the interpolation interval and the position f ∈ [0, 1) in it
    /// (<see cref="SmearedBinWeights.Locate"/>). The search's arrays hold whole vectors past the count; the places past
    /// it are the sink's, so that the kernels may run whole vectors of pairs.
    /// </summary>
    private void Place(int[] types, PairSearch search, Placement placement)
    {
        var count = search.Count;
        if (placement.Bin.Length < count + 4)
        {
            placement.Bin = new int[count + count / 4 + 4];
            placement.Interval = new int[placement.Bin.Length];
            placement.Fraction = new double[placement.Bin.Length];
        }
        Use(placement);
        var weights = _weights;
        int first = weights.First, intervals = weights.Intervals, span = weights.Span;
        int bins = Bins, pad = _pad, sink = _sink;
        double rMin = RMin, inverseWidth = 1.0 / BinWidth;
        var pr = search.R;
        var p = 0;
        if (Avx.IsSupported)
        {
            // The constants are hoisted by hand: the JIT broadcasts them again in every iteration otherwise.
            var half = Vector256.Create(0.5);
            var origin = Vector256.Create(rMin);
            var scale = Vector256.Create(inverseWidth);
            var perEdge = Vector256.Create((double)intervals);
            var lastInterval = Vector256.Create(intervals - 1.0);
            var firstBin = Vector128.Create(first);
            var lowest = Vector128.Create(-span);
            var highest = Vector128.Create(bins);
            var padding = Vector128.Create(pad);
            var sinkBin = Vector128.Create(sink);
            ref var r = ref MemoryMarshal.GetReference(pr);
            ref var fraction = ref MemoryMarshal.GetArrayDataReference(_fraction);
            ref var bin = ref MemoryMarshal.GetArrayDataReference(_bin);
            ref var interval = ref MemoryMarshal.GetArrayDataReference(_interval);
            for (; p + 4 <= count; p += 4)
            {
                var t = (Vector256.LoadUnsafe(ref r, (nuint)p) - origin) * scale;
                var edge = Vector256.Floor(t + half);
                var x = (t - edge + half) * perEdge;
                // x is finite and non-negative, where the native minimum is the IEEE one.
                var q = Vector256.MinNative(Vector256.Floor(x), lastInterval);
                (x - q).StoreUnsafe(ref fraction, (nuint)p);
                var lo = Avx.ConvertToVector128Int32WithTruncation(edge) + firstBin;
                // Bins lo … lo + span − 1 must meet 0 … bins − 1.
                var inRange = Vector128.GreaterThan(lo, lowest) & Vector128.LessThan(lo, highest);
                Vector128.ConditionalSelect(inRange, lo + padding, sinkBin).StoreUnsafe(ref bin, (nuint)p);
                Avx.ConvertToVector128Int32WithTruncation(q).StoreUnsafe(ref interval, (nuint)p);
            }
        }
        for (; p < count; p++)
        {
            var t = (pr[p] - rMin) * inverseWidth;
            var edge = Math.Floor(t + 0.5);
            var lo = (int)edge + first;
            _bin[p] = lo > -span && lo < bins ? lo + pad : sink;
            _interval[p] = weights.Locate(t - edge, out _fraction[p]);
        }
        _bin.AsSpan(count, 4).Fill(sink);
        _interval.AsSpan(count, 4).Clear();
        _fraction.AsSpan(count, 4).Clear();
        if (TypeCount == 1) return;
        var pi = search.I; var pj = search.J;
        for (p = 0; p < count; p++)
            if (_bin[p] != sink) _bin[p] += _partialOf[types[pi[p]] * TypeCount + types[pj[p]]] * _row;
    }

    /// <summary>
    /// Adds every collected pair's weights W_m (<see cref="SmearedBinWeights"/>) to its partial's padded bins, 4 bins at
    /// a time as c₀ + f(c₁ + f(c₂ + f c₃)) from the table row of the pair's interval (<see cref="Place"/>).
    /// </summary>
    private void AddCounts(PairSearch search)
    {
        int vectors = _weights.Vectors, stride = _weights.Stride;
        ref var table = ref MemoryMarshal.GetArrayDataReference(_weights.Coefficients);
        ref var counts = ref MemoryMarshal.GetArrayDataReference(_padded);
        ref var fraction = ref MemoryMarshal.GetArrayDataReference(_fraction);
        ref var interval = ref MemoryMarshal.GetArrayDataReference(_interval);
        ref var first = ref MemoryMarshal.GetArrayDataReference(_bin);
        var count = search.Count;
        // Two pairs per pass, their rows interleaved: twice the independent work in each pass of the loop over a row
        // (a bin both reach may take their weights in the other order, a rounding difference). Past the count the
        // places are the sink's, so an odd count needs no tail.
        for (var p = 0; p < count; p += 2)
        {
            var f = Vector256.Create(Unsafe.Add(ref fraction, p));
            var g = Vector256.Create(Unsafe.Add(ref fraction, p + 1));
            ref var c = ref Unsafe.Add(ref table, Unsafe.Add(ref interval, p) * stride);
            ref var d = ref Unsafe.Add(ref table, Unsafe.Add(ref interval, p + 1) * stride);
            ref var bin = ref Unsafe.Add(ref counts, Unsafe.Add(ref first, p));
            ref var other = ref Unsafe.Add(ref counts, Unsafe.Add(ref first, p + 1));
            // The references advance, so that every load has a constant offset: index arithmetic per load would be
            // most of the loop's instructions.
            for (var v = 0; v < vectors; v++)
            {
                var w = Weights(ref c, f);
                var u = Weights(ref d, g);
                (Vector256.LoadUnsafe(ref bin) + w).StoreUnsafe(ref bin);
                (Vector256.LoadUnsafe(ref other) + u).StoreUnsafe(ref other);
                c = ref Unsafe.Add(ref c, 16);
                d = ref Unsafe.Add(ref d, 16);
                bin = ref Unsafe.Add(ref bin, 4);
                other = ref Unsafe.Add(ref other, 4);
            }
        }
    }

    /// <summary>Four bins' weights c₀ + f(c₁ + f(c₂ + f c₃)) from the coefficient vectors at <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Weights(ref double c, Vector256<double> f)
        => Vector256.MultiplyAddEstimate(Vector256.MultiplyAddEstimate(Vector256.MultiplyAddEstimate(
            Vector256.LoadUnsafe(ref c, 12), f, Vector256.LoadUnsafe(ref c, 8)), f, Vector256.LoadUnsafe(ref c, 4)), f, Vector256.LoadUnsafe(ref c));

    /// <summary>
    /// Adds ∂L/∂x of every collected pair from the frame's ∂L/∂counts (in the padded bins): with t = (r − r_min)/Δ,
    /// ∂L/∂r = Σ_m c_m dW_m/dφ / Δ, which <see cref="SmearedSlopeTable"/> holds as A + f(B + fC) for the pair's first
    /// bin and interval. The pairs are placed already: by Accumulate for a frame whose pairs are kept, else just before.
    /// </summary>
    /// <remarks>
    /// Two passes: ∂L/∂r / r of four pairs at a time, whose table reads (a few hundred kilobytes, so from L2) overlap
    /// only when no scatter stands between them, then the scatter.
    /// </remarks>
    private void AddGradient(PhaseSpaceGradient gradient, PairSearch search)
    {
        _slopes.Update(_padded);
        var count = search.Count;
        if (_dLdrOverR.Length < count + 4) _dLdrOverR = new double[count + count / 4 + 4];
        var slopeScale = Vector256.Create(_weights.Intervals / BinWidth);
        ref var terms = ref MemoryMarshal.GetArrayDataReference(_slopes.Terms);
        ref var r = ref MemoryMarshal.GetReference(search.R);
        ref var fraction = ref MemoryMarshal.GetArrayDataReference(_fraction);
        ref var dLdrOverR = ref MemoryMarshal.GetArrayDataReference(_dLdrOverR);
        // The placement's arrays and the table's shape in locals: read through fields, they were reloaded and bounds
        // checked for every pair, most of the loop's instructions.
        ref var bins = ref MemoryMarshal.GetArrayDataReference(_bin);
        ref var places = ref MemoryMarshal.GetArrayDataReference(_interval);
        var intervals = _weights.Intervals;
        for (var p = 0; p < count; p += 4)
        {
            int c0 = Term(ref bins, ref places, p, intervals), c1 = Term(ref bins, ref places, p + 1, intervals);
            int c2 = Term(ref bins, ref places, p + 2, intervals), c3 = Term(ref bins, ref places, p + 3, intervals);
            var a = Vector256.Create(Unsafe.Add(ref terms, c0), Unsafe.Add(ref terms, c1), Unsafe.Add(ref terms, c2), Unsafe.Add(ref terms, c3));
            var b = Vector256.Create(Unsafe.Add(ref terms, c0 + 1), Unsafe.Add(ref terms, c1 + 1), Unsafe.Add(ref terms, c2 + 1), Unsafe.Add(ref terms, c3 + 1));
            var c = Vector256.Create(Unsafe.Add(ref terms, c0 + 2), Unsafe.Add(ref terms, c1 + 2), Unsafe.Add(ref terms, c2 + 2), Unsafe.Add(ref terms, c3 + 2));
            var f = Vector256.LoadUnsafe(ref fraction, (nuint)p);
            var sums = Vector256.MultiplyAddEstimate(f, Vector256.MultiplyAddEstimate(f, c, b), a);
            // Coincident particles (r = 0, only when r_min = 0) add nothing.
            var rp = Vector256.LoadUnsafe(ref r, (nuint)p);
            Vector256.AndNot(slopeScale * sums / rp, Vector256.Equals(rp, Vector256<double>.Zero)).StoreUnsafe(ref dLdrOverR, (nuint)p);
        }
        Scatter(gradient, search);
    }

    /// <summary>
    /// ∂L/∂x_i += a, ∂L/∂x_j −= a for every pair, a = (∂L/∂r / r)(x_i − x_j) since ∂r/∂x_i = (x_i − x_j)/r = −∂r/∂x_j.
    /// </summary>
    /// <remarks>
    /// Consecutive pairs mostly share i, so ∂L/∂x_i is held in registers until i changes (no pair's j is its i), without
    /// a store and reload per pair; whole groups of four add to it through vector lanes, which sums the same terms in
    /// another order, a rounding difference.
    /// </remarks>
    private void Scatter(PhaseSpaceGradient gradient, PairSearch search)
    {
        var count = search.Count;
        if (count == 0) return;
        ref var gx = ref MemoryMarshal.GetArrayDataReference(gradient.X);
        ref var gy = ref MemoryMarshal.GetArrayDataReference(gradient.Y);
        ref var gz = ref MemoryMarshal.GetArrayDataReference(gradient.Z);
        ref var pi = ref MemoryMarshal.GetReference(search.I);
        ref var pj = ref MemoryMarshal.GetReference(search.J);
        ref var pdx = ref MemoryMarshal.GetReference(search.Dx);
        ref var pdy = ref MemoryMarshal.GetReference(search.Dy);
        ref var pdz = ref MemoryMarshal.GetReference(search.Dz);
        ref var dLdrOverR = ref MemoryMarshal.GetArrayDataReference(_dLdrOverR);
        var i = pi;
        double sx = Unsafe.Add(ref gx, i), sy = Unsafe.Add(ref gy, i), sz = Unsafe.Add(ref gz, i);
        Vector256<double> vx = default, vy = default, vz = default;
        var p = 0;
        while (p < count)
        {
            var ip = Unsafe.Add(ref pi, p);
            if (ip != i)
            {
                (Unsafe.Add(ref gx, i), Unsafe.Add(ref gy, i), Unsafe.Add(ref gz, i)) = (sx + Vector256.Sum(vx), sy + Vector256.Sum(vy), sz + Vector256.Sum(vz));
                i = ip;
                (sx, sy, sz) = (Unsafe.Add(ref gx, i), Unsafe.Add(ref gy, i), Unsafe.Add(ref gz, i));
                (vx, vy, vz) = (default, default, default);
            }
            // Four consecutive pairs mostly share i: their a in a vector each, summed lane by lane for ∂L/∂x_i (the lanes
            // join the held sum when i changes) and subtracted at their j one by one. All four are checked, since the
            // cell list's pairs come back to an i after others.
            if (p + 4 <= count && Vector128.EqualsAll(Vector128.LoadUnsafe(ref pi, (nuint)p), Vector128.Create(i)))
            {
                var w4 = Vector256.LoadUnsafe(ref dLdrOverR, (nuint)p);
                var ax4 = w4 * Vector256.LoadUnsafe(ref pdx, (nuint)p);
                var ay4 = w4 * Vector256.LoadUnsafe(ref pdy, (nuint)p);
                var az4 = w4 * Vector256.LoadUnsafe(ref pdz, (nuint)p);
                vx += ax4; vy += ay4; vz += az4;
                Subtract(ref gx, ref gy, ref gz, Unsafe.Add(ref pj, p), ax4.GetElement(0), ay4.GetElement(0), az4.GetElement(0));
                Subtract(ref gx, ref gy, ref gz, Unsafe.Add(ref pj, p + 1), ax4.GetElement(1), ay4.GetElement(1), az4.GetElement(1));
                Subtract(ref gx, ref gy, ref gz, Unsafe.Add(ref pj, p + 2), ax4.GetElement(2), ay4.GetElement(2), az4.GetElement(2));
                Subtract(ref gx, ref gy, ref gz, Unsafe.Add(ref pj, p + 3), ax4.GetElement(3), ay4.GetElement(3), az4.GetElement(3));
                p += 4;
                continue;
            }
            var w = Unsafe.Add(ref dLdrOverR, p);
            double ax = w * Unsafe.Add(ref pdx, p), ay = w * Unsafe.Add(ref pdy, p), az = w * Unsafe.Add(ref pdz, p);
            sx += ax; sy += ay; sz += az;
            Subtract(ref gx, ref gy, ref gz, Unsafe.Add(ref pj, p), ax, ay, az);
            p++;
        }
        (Unsafe.Add(ref gx, i), Unsafe.Add(ref gy, i), Unsafe.Add(ref gz, i)) = (sx + Vector256.Sum(vx), sy + Vector256.Sum(vy), sz + Vector256.Sum(vz));
    }

    /// <summary>∂L/∂x_j −= a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(ref double gx, ref double gy, ref double gz, int j, double ax, double ay, double az)
    {
        Unsafe.Add(ref gx, j) -= ax; Unsafe.Add(ref gy, j) -= ay; Unsafe.Add(ref gz, j) -= az;
    }

    /// <summary>
    /// Where pair p's (A, B, C) start in <see cref="SmearedSlopeTable.Terms"/> (past the count: the sink's zeros), from
    /// the placement's first bins and intervals.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Term(ref int bins, ref int places, int p, int intervals)
        => 4 * SmearedSlopeTable.Cell(Unsafe.Add(ref bins, p), Unsafe.Add(ref places, p), intervals);

    /// <summary>Makes the kernels read <paramref name="placement"/>.</summary>
    private void Use(Placement placement) => (_bin, _interval, _fraction) = (placement.Bin, placement.Interval, placement.Fraction);

    /// <summary>Where a search's pairs fall: their first padded bins, interpolation intervals and positions in them (<see cref="Place"/>).</summary>
    private sealed class Placement
    {
        public int[] Bin = [], Interval = [];
        public double[] Fraction = [];

        public long Bytes => (long)Bin.Length * (2 * sizeof(int) + sizeof(double));
    }
}
