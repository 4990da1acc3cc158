using DiffSim.Systems;

namespace DiffSim.Observables;

/// <summary>
/// The velocity autocorrelation C(τ) = ⟨v_i(t)·v_i(t+τ)⟩ over particles and time origins, for lags 0..Length−1 samples.
/// A new time origin starts every <c>originEvery</c> samples.
/// </summary>
public sealed class VelocityAutocorrelation
{
    private readonly List<(int Start, double[] V)> _origins = [];
    private int _sample;

    public VelocityAutocorrelation(int length, int originEvery)
    {
        if (length < 1) throw new ArgumentException($"vacf length must be at least 1, got {length}");
        if (originEvery < 1) throw new ArgumentException($"vacf origin spacing must be at least 1, got {originEvery}");
        Length = length;
        OriginEvery = originEvery;
        Sum = new double[length];
        Count = new long[length];
    }

    public int Length { get; }
    public int OriginEvery { get; }
    public double[] Sum { get; }
    public long[] Count { get; }

    public void Accumulate(State state)
    {
        var n = state.Count;
        if (_sample % OriginEvery == 0)
        {
            var v = new double[3 * n];
            for (var i = 0; i < n; i++) { v[3 * i] = state.Vx[i]; v[3 * i + 1] = state.Vy[i]; v[3 * i + 2] = state.Vz[i]; }
            _origins.Add((_sample, v));
        }
        for (var o = _origins.Count - 1; o >= 0; o--)
        {
            var (start, v0) = _origins[o];
            var lag = _sample - start;
            if (lag >= Length) { _origins.RemoveAt(o); continue; }
            var dot = 0.0;
            for (var i = 0; i < n; i++) dot += v0[3 * i] * state.Vx[i] + v0[3 * i + 1] * state.Vy[i] + v0[3 * i + 2] * state.Vz[i];
            Sum[lag] += dot / n;
            Count[lag]++;
        }
        _sample++;
    }

    /// <summary>C(τ) for each lag (NaN where no origin has reached that lag).</summary>
    public double[] Result() => Enumerable.Range(0, Length).Select(k => Count[k] > 0 ? Sum[k] / Count[k] : double.NaN).ToArray();
}
