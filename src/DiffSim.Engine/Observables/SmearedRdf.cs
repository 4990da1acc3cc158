using System.Runtime.CompilerServices;
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
        var visitor = new CountVisitor(this, state.TypeOf);
        _search.ForEachUniquePair(state, SearchCutoff(state.Box), ref visitor);
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
        var visitor = new GradientVisitor(this, state.TypeOf, gradient);
        _search.ForEachUniquePair(state, SearchCutoff(state.Box), ref visitor);
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

    private readonly struct CountVisitor : IPairVisitor
    {
        private readonly double[] _counts;
        private readonly int[] _types, _partialOf;
        private readonly int _typeCount, _bins;
        private readonly double _rMin, _inverseWidth, _reachBins, _widthOverSigma;

        public CountVisitor(SmearedRdf rdf, int[] types)
        {
            _counts = rdf._counts; _types = types; _partialOf = rdf._partialOf; _typeCount = rdf.TypeCount; _bins = rdf.Bins;
            _rMin = rdf.RMin; _inverseWidth = 1.0 / rdf.BinWidth;
            _reachBins = SmearingKernel.Reach * rdf.Sigma * _inverseWidth; _widthOverSigma = rdf.BinWidth / rdf.Sigma;
        }

        public void Visit(int i, int j, double r, double dx, double dy, double dz)
        {
            var (first, last, t) = Window(r, _rMin, _inverseWidth, _reachBins, _bins);
            if (first > last) return;
            int a = _types[i], b = _types[j];
            var weight = a == b ? 2.0 : 1.0;
            var offset = _partialOf[a * _typeCount + b] * _bins;
            var below = SmearingKernel.Cdf((first - t) * _widthOverSigma);
            for (var k = first; k <= last; k++)
            {
                var above = SmearingKernel.Cdf((k + 1 - t) * _widthOverSigma);
                _counts[offset + k] += weight * (above - below);
                below = above;
            }
        }
    }

    private readonly struct GradientVisitor : IPairVisitor
    {
        private readonly double[] _coefficients, _gx, _gy, _gz;
        private readonly int[] _types, _partialOf;
        private readonly int _typeCount, _bins;
        private readonly double _rMin, _inverseWidth, _reachBins, _widthOverSigma, _inverseSigma;

        public GradientVisitor(SmearedRdf rdf, int[] types, PhaseSpaceGradient gradient)
        {
            _coefficients = rdf._coefficients; _types = types; _partialOf = rdf._partialOf; _typeCount = rdf.TypeCount; _bins = rdf.Bins;
            _gx = gradient.X; _gy = gradient.Y; _gz = gradient.Z;
            _rMin = rdf.RMin; _inverseWidth = 1.0 / rdf.BinWidth;
            _reachBins = SmearingKernel.Reach * rdf.Sigma * _inverseWidth; _widthOverSigma = rdf.BinWidth / rdf.Sigma;
            _inverseSigma = 1.0 / rdf.Sigma;
        }

        public void Visit(int i, int j, double r, double dx, double dy, double dz)
        {
            if (r == 0) return;
            var (first, last, t) = Window(r, _rMin, _inverseWidth, _reachBins, _bins);
            if (first > last) return;
            int a = _types[i], b = _types[j];
            var weight = a == b ? 2.0 : 1.0;
            var offset = _partialOf[a * _typeCount + b] * _bins;
            // W_k = S(u_{k+1}) − S(u_k) with u = (e − r)/σ, so dW_k/dr = −(K(u_{k+1}) − K(u_k))/σ.
            var below = SmearingKernel.Density((first - t) * _widthOverSigma);
            var sum = 0.0;
            for (var k = first; k <= last; k++)
            {
                var above = SmearingKernel.Density((k + 1 - t) * _widthOverSigma);
                sum += _coefficients[offset + k] * (above - below);
                below = above;
            }
            // ∂r/∂x_i = (x_i − x_j)/r = −∂r/∂x_j.
            var dLdr = -weight * sum * _inverseSigma / r;
            _gx[i] += dLdr * dx; _gy[i] += dLdr * dy; _gz[i] += dLdr * dz;
            _gx[j] -= dLdr * dx; _gy[j] -= dLdr * dy; _gz[j] -= dLdr * dz;
        }
    }
}
