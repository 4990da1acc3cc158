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
/// ±5σ; see <see cref="SmearingKernel"/>), and one frame's g is that smeared count times V / (N_a N_b' ΔV_k),
/// N_b' = N_b − δ_ab, exactly as <see cref="PairHistogram"/> normalises its counts; as σ → 0 the two agree.</para>
/// <para>Type pairs: g_ab for a ≤ b counts the ordered pairs (i, j) with (t_i, t_j) = (a, b), which is what
/// <see cref="PairHistogram.Rdf"/>(a, b) counts; since (i, j) and (j, i) are both ordered pairs, g_ab = g_ba, and an unordered
/// pair of types (a, a) adds 2, one of types a ≠ b adds 1 to the partial (min, max).</para>
/// <para>The value is the concatenation of the partials in <see cref="PairOrder"/>: (0,0), (0,1), …, (0,T−1), (1,1), …, each
/// <see cref="Bins"/> long; element p · Bins + k is g_p at <see cref="Centres"/>[k].</para>
/// <para>Pairs are searched to r_max + 5σ, but no further than half the box's shortest edge, the minimum-image limit:
/// when r_max + 5σ exceeds it, the last few bins miss the tails of pairs beyond it (exclude them from the loss).</para>
/// </remarks>
public sealed class SmearedRdf : IWindowObservable
{
    private readonly PairSearch _search = new();
    private readonly (int A, int B)[] _pairOrder;
    private readonly int[] _partialOf;
    private readonly double[] _centres, _edges, _shell;
    private readonly double[] _sum, _value, _counts, _coefficients;
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
        _shell = new double[bins];
        for (var k = 0; k < bins; k++) _centres[k] = 0.5 * (_edges[k] + _edges[k + 1]);

        Length = _pairOrder.Length * bins;
        _sum = new double[Length];
        _value = new double[Length];
        _counts = new double[Length];
        _coefficients = new double[Length];
        _typeCounts = new int[typeCount];
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
        Array.Clear(_counts);
        _search.Collect(state, SearchCutoff(state.Box));
        AddCounts(state.TypeOf);
        Normalise(state, _counts, 1.0);
        for (var i = 0; i < Length; i++) _sum[i] += _counts[i];
        Frames++;
        _valueStale = true;
    }

    public void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient)
    {
        if ((uint)frame >= (uint)Frames) throw new ArgumentOutOfRangeException(nameof(frame), $"smeared rdf has {Frames} frames, got frame {frame}");
        if (dLossdValue.Length != Length) throw new ArgumentException($"smeared rdf: ∂L/∂O has length {dLossdValue.Length}, expected {Length}");
        if (gradient.Count != state.Count) throw new ArgumentException($"smeared rdf: gradient has {gradient.Count} particles, the state {state.Count}");
        Check(state);
        // O = (1/F) Σ_f norm ⊙ counts_f, so the frame's ∂L/∂counts is (1/F) norm ⊙ ∂L/∂O.
        dLossdValue.CopyTo(_coefficients);
        Normalise(state, _coefficients, 1.0 / Frames);
        _search.Collect(state, SearchCutoff(state.Box));
        AddGradient(state.TypeOf, gradient);
    }

    private void Check(State state)
    {
        if (state.Types.Count != TypeCount)
            throw new ArgumentException($"smeared rdf was built for {TypeCount} particle types but the state has {state.Types.Count}");
        state.Box.EnsureFits(RMax);
    }

    private double SearchCutoff(Box box) => Math.Min(RMax + SmearingKernel.Reach * Sigma, 0.5 * box.MinEdge);

    /// <summary>Multiplies each partial's bins by scale · V / (N_a N_b' ΔV_k).</summary>
    private void Normalise(State state, double[] values, double scale)
    {
        Array.Clear(_typeCounts);
        foreach (var t in state.TypeOf) _typeCounts[t]++;
        var volume = state.Box.Volume;
        for (var p = 0; p < _pairOrder.Length; p++)
        {
            var (a, b) = _pairOrder[p];
            for (var k = 0; k < Bins; k++)
                values[p * Bins + k] *= scale * PairHistogram.Normalisation(volume, _typeCounts[a], _typeCounts[b], a == b, _edges[k], _edges[k + 1]);
        }
    }

    /// <summary>The bins a pair at distance r can reach, [first, last], or first &gt; last when none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int First, int Last, double Position) Window(double r, double rMin, double inverseWidth, double reachBins, int bins)
    {
        var t = (r - rMin) * inverseWidth; // position in bin units: edge k sits at t = k
        var first = (int)Math.Max(Math.Floor(t - reachBins), 0.0);
        var last = (int)Math.Min(Math.Floor(t + reachBins), bins - 1.0);
        return (first, last, t);
    }

    /// <summary>Adds every collected pair's smeared bin weights to <see cref="_counts"/>.</summary>
    private void AddCounts(int[] types)
    {
        var counts = _counts;
        var partialOf = _partialOf;
        int typeCount = TypeCount, bins = Bins;
        double rMin = RMin, inverseWidth = 1.0 / BinWidth, widthOverSigma = BinWidth / Sigma;
        var reachBins = SmearingKernel.Reach * Sigma * inverseWidth;
        var pi = _search.I; var pj = _search.J; var pr = _search.R;
        var vector = Avx2.IsSupported;
        Span<double> edges = stackalloc double[64];
        for (var p = 0; p < pr.Length; p++)
        {
            var (first, last, t) = Window(pr[p], rMin, inverseWidth, reachBins, bins);
            if (first > last) continue;
            int a = types[pi[p]], b = types[pj[p]];
            var weight = a == b ? 2.0 : 1.0;
            ref var bin = ref counts[partialOf[a * typeCount + b] * bins];
            if (vector && last - first + 2 <= edges.Length)
            {
                KernelAtEdges<CdfValue>(first, last - first + 2, t, widthOverSigma, edges);
                var k = first;
                var e = 0;
                var w = Vector256.Create(weight);
                for (; k + 4 <= last + 1; k += 4, e += 4)
                {
                    var d = Vector256.Create(edges.Slice(e + 1, 4)) - Vector256.Create(edges.Slice(e, 4));
                    (Vector256.LoadUnsafe(ref bin, (nuint)k) + w * d).StoreUnsafe(ref bin, (nuint)k);
                }
                for (; k <= last; k++, e++) Unsafe.Add(ref bin, k) += weight * (edges[e + 1] - edges[e]);
                continue;
            }
            var below = SmearingKernel.Cdf((first - t) * widthOverSigma);
            for (var k = first; k <= last; k++)
            {
                var above = SmearingKernel.Cdf((k + 1 - t) * widthOverSigma);
                Unsafe.Add(ref bin, k) += weight * (above - below);
                below = above;
            }
        }
    }

    /// <summary>Adds ∂L/∂x of every collected pair, from the frame's ∂L/∂counts in <see cref="_coefficients"/>.</summary>
    private void AddGradient(int[] types, PhaseSpaceGradient gradient)
    {
        var coefficients = _coefficients;
        var partialOf = _partialOf;
        var gx = gradient.X; var gy = gradient.Y; var gz = gradient.Z;
        int typeCount = TypeCount, bins = Bins;
        double rMin = RMin, inverseWidth = 1.0 / BinWidth, widthOverSigma = BinWidth / Sigma, inverseSigma = 1.0 / Sigma;
        var reachBins = SmearingKernel.Reach * Sigma * inverseWidth;
        var pi = _search.I; var pj = _search.J; var pr = _search.R;
        var pdx = _search.Dx; var pdy = _search.Dy; var pdz = _search.Dz;
        var vector = Avx2.IsSupported;
        Span<double> edges = stackalloc double[64];
        for (var p = 0; p < pr.Length; p++)
        {
            var r = pr[p];
            if (r == 0) continue;
            var (first, last, t) = Window(r, rMin, inverseWidth, reachBins, bins);
            if (first > last) continue;
            int i = pi[p], j = pj[p];
            int a = types[i], b = types[j];
            var weight = a == b ? 2.0 : 1.0;
            ref var c = ref coefficients[partialOf[a * typeCount + b] * bins];
            // W_k = S(u_{k+1}) − S(u_k) with u = (e − r)/σ, so dW_k/dr = −(K(u_{k+1}) − K(u_k))/σ.
            var sum = 0.0;
            if (vector && last - first + 2 <= edges.Length)
            {
                KernelAtEdges<DensityValue>(first, last - first + 2, t, widthOverSigma, edges);
                var k = first;
                var e = 0;
                var acc = Vector256<double>.Zero;
                for (; k + 4 <= last + 1; k += 4, e += 4)
                    acc += Vector256.LoadUnsafe(ref c, (nuint)k) * (Vector256.Create(edges.Slice(e + 1, 4)) - Vector256.Create(edges.Slice(e, 4)));
                sum = Vector256.Sum(acc);
                for (; k <= last; k++, e++) sum += Unsafe.Add(ref c, k) * (edges[e + 1] - edges[e]);
            }
            else
            {
                var below = SmearingKernel.Density((first - t) * widthOverSigma);
                for (var k = first; k <= last; k++)
                {
                    var above = SmearingKernel.Density((k + 1 - t) * widthOverSigma);
                    sum += Unsafe.Add(ref c, k) * (above - below);
                    below = above;
                }
            }
            // ∂r/∂x_i = (x_i − x_j)/r = −∂r/∂x_j.
            var dLdr = -weight * sum * inverseSigma / r;
            double dx = pdx[p], dy = pdy[p], dz = pdz[p];
            gx[i] += dLdr * dx; gy[i] += dLdr * dy; gz[i] += dLdr * dz;
            gx[j] -= dLdr * dx; gy[j] -= dLdr * dy; gz[j] -= dLdr * dz;
        }
    }

    /// <summary>Which of the kernel's two tabulated functions <see cref="KernelAtEdges{TValue}"/> evaluates.</summary>
    private interface IKernelValue
    {
        static abstract Vector256<double> Segment(Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3, Vector256<double> f);
        static abstract Vector256<double> Below { get; }
        static abstract Vector256<double> Above { get; }
    }

    /// <summary><see cref="SmearingKernel.Cdf"/>, with the same operations in the same order (so the same bits).</summary>
    private readonly struct CdfValue : IKernelValue
    {
        public static Vector256<double> Segment(Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3, Vector256<double> f)
            => ((c3 * f + c2) * f + c1) * f + c0;
        public static Vector256<double> Below => Vector256<double>.Zero;
        public static Vector256<double> Above => Vector256<double>.One;
    }

    /// <summary><see cref="SmearingKernel.Density"/>, with the same operations in the same order.</summary>
    private readonly struct DensityValue : IKernelValue
    {
        public static Vector256<double> Segment(Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3, Vector256<double> f)
            => ((Vector256.Create(3.0) * c3 * f + Vector256.Create(2.0) * c2) * f + c1) * Vector256.Create((double)SmearingKernel.PerUnit);
        public static Vector256<double> Below => Vector256<double>.Zero;
        public static Vector256<double> Above => Vector256<double>.Zero;
    }

    /// <summary>
    /// The kernel's S or K at the bin edges first, first + 1, …, first + count − 1, four edges at a time: each lane's
    /// segment is one 32-byte load of its four coefficients, and a 4 × 4 transpose puts each coefficient in one vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelAtEdges<TValue>(int first, int count, double t, double widthOverSigma, Span<double> destination)
        where TValue : struct, IKernelValue
    {
        ref var table = ref MemoryMarshal.GetArrayDataReference(SmearingKernel.Coefficients);
        var iota = Vector256.Create(0.0, 1.0, 2.0, 3.0);
        var tv = Vector256.Create(t);
        var w = Vector256.Create(widthOverSigma);
        var reach = Vector256.Create(SmearingKernel.Reach);
        var perUnit = Vector256.Create((double)SmearingKernel.PerUnit);
        var zero = Vector256<double>.Zero;
        var top = Vector256.Create((double)SmearingKernel.Intervals);
        var lastSegment = Vector256.Create(SmearingKernel.Intervals - 1.0);
        for (var e = 0; e < count; e += 4)
        {
            var u = (Vector256.Create((double)(first + e)) + iota - tv) * w;
            var x = (u + reach) * perUnit;
            var j = Vector256.Min(Vector256.Max(Vector256.Floor(x), zero), lastSegment);
            var f = x - j;
            var index = Avx.ConvertToVector128Int32WithTruncation(j);
            var v0 = Vector256.LoadUnsafe(ref table, (nuint)(4 * index.GetElement(0)));
            var v1 = Vector256.LoadUnsafe(ref table, (nuint)(4 * index.GetElement(1)));
            var v2 = Vector256.LoadUnsafe(ref table, (nuint)(4 * index.GetElement(2)));
            var v3 = Vector256.LoadUnsafe(ref table, (nuint)(4 * index.GetElement(3)));
            var t0 = Avx.UnpackLow(v0, v1); var t1 = Avx.UnpackHigh(v0, v1);
            var t2 = Avx.UnpackLow(v2, v3); var t3 = Avx.UnpackHigh(v2, v3);
            var c0 = Avx.Permute2x128(t0, t2, 0x20); var c1 = Avx.Permute2x128(t1, t3, 0x20);
            var c2 = Avx.Permute2x128(t0, t2, 0x31); var c3 = Avx.Permute2x128(t1, t3, 0x31);
            var value = TValue.Segment(c0, c1, c2, c3, f);
            value = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, zero), TValue.Below, value);
            value = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, top), TValue.Above, value);
            value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)e);
        }
    }
}
