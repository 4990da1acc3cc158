using DiffSim.Adjoint;
using DiffSim.Systems;

namespace DiffSim.Observables;

/// <summary>
/// The velocity autocorrelation of a window, C(τ) = ⟨v_i(t)·v_i(t+τ)⟩ averaged over the N particles and over every time
/// origin t of the window (t a multiple of <see cref="OriginEvery"/> with t + τ ≤ F − 1), for lags τ = 0 … Length − 1
/// in frames. Frames are consecutive samples of one trajectory; their velocities are kept so that
/// <see cref="Backward"/> can give ∂L/∂v of any frame.
/// </summary>
/// <remarks>
/// C(τ) = Σ_t Σ_i v_i(t)·v_i(t+τ) / (N n_τ) with n_τ the number of origins for lag τ, so
/// ∂C(τ)/∂v_i(f) = [v_i(f − τ) if f − τ is an origin] + [v_i(f + τ) if f is an origin and f + τ ≤ F − 1], over N n_τ.
/// The window must hold at least Length frames, so that every lag has an origin (<see cref="Value"/> throws otherwise).
/// <see cref="Backward"/> uses the stored velocities and does not read its state argument; it adds only to ∂L/∂v.
/// Memory: 3 N F doubles, kept across windows.
/// </remarks>
public sealed class DifferentiableVacf : IWindowObservable
{
    private readonly List<double[]> _velocities = []; // per frame: vx[0..N), vy[N..2N), vz[2N..3N); kept across windows
    private readonly double[] _sum, _value;
    private int _particles = -1;
    private bool _valueStale;

    /// <param name="lags">Number of lags L (C(0) … C(L − 1)), in frames.</param>
    /// <param name="originEvery">Spacing of time origins in frames (1: every frame is an origin).</param>
    public DifferentiableVacf(int lags, int originEvery = 1)
    {
        if (lags < 1) throw new ArgumentException($"vacf needs at least 1 lag, got {lags}");
        if (originEvery < 1) throw new ArgumentException($"vacf origin spacing must be at least 1, got {originEvery}");
        Length = lags;
        OriginEvery = originEvery;
        _sum = new double[lags];
        _value = new double[lags];
    }

    public int Length { get; }

    /// <summary>Spacing of time origins in frames.</summary>
    public int OriginEvery { get; }

    public int Frames { get; private set; }

    /// <summary>Number of time origins that lag τ averages over in the current window.</summary>
    public int OriginCount(int lag) => Frames - 1 - lag >= 0 ? (Frames - 1 - lag) / OriginEvery + 1 : 0;

    public ReadOnlySpan<double> Value
    {
        get
        {
            if (Frames < Length)
                throw new InvalidOperationException($"vacf with {Length} lags needs at least {Length} frames in the window, has {Frames}");
            if (_valueStale)
            {
                for (var lag = 0; lag < Length; lag++) _value[lag] = _sum[lag] / ((double)_particles * OriginCount(lag));
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
        _particles = -1;
        _valueStale = false;
    }

    public void Accumulate(int frame, State state)
    {
        if (frame != Frames) throw new ArgumentException($"vacf expects frame {Frames} next, got frame {frame}; frames must come in order 0, 1, 2, … after Reset");
        var n = state.Count;
        if (_particles < 0) _particles = n;
        else if (n != _particles) throw new ArgumentException($"vacf: frame {frame} has {n} particles, earlier frames {_particles}");
        if (_velocities.Count <= frame) _velocities.Add(new double[3 * n]);
        else if (_velocities[frame].Length != 3 * n) _velocities[frame] = new double[3 * n];
        var v = _velocities[frame];
        state.Vx.AsSpan(0, n).CopyTo(v.AsSpan(0, n));
        state.Vy.AsSpan(0, n).CopyTo(v.AsSpan(n, n));
        state.Vz.AsSpan(0, n).CopyTo(v.AsSpan(2 * n, n));
        for (var lag = 0; lag < Length && lag <= frame; lag++)
        {
            var origin = frame - lag;
            if (origin % OriginEvery != 0) continue;
            _sum[lag] += Dot(_velocities[origin], v);
        }
        Frames++;
        _valueStale = true;
    }

    public void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient)
    {
        if ((uint)frame >= (uint)Frames) throw new ArgumentOutOfRangeException(nameof(frame), $"vacf has {Frames} frames, got frame {frame}");
        if (dLossdValue.Length != Length) throw new ArgumentException($"vacf: ∂L/∂O has length {dLossdValue.Length}, expected {Length}");
        var n = _particles;
        if (gradient.Count != n) throw new ArgumentException($"vacf: gradient has {gradient.Count} particles, the frames {n}");
        for (var lag = 0; lag < Length; lag++)
        {
            var origins = OriginCount(lag);
            if (origins == 0 || dLossdValue[lag] == 0) continue;
            var c = dLossdValue[lag] / ((double)n * origins);
            var earlier = frame - lag;
            if (earlier >= 0 && earlier % OriginEvery == 0) AddScaled(c, _velocities[earlier], gradient, n);
            if (frame % OriginEvery == 0 && frame + lag < Frames) AddScaled(c, _velocities[frame + lag], gradient, n);
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var k = 0; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }

    private static void AddScaled(double c, double[] v, PhaseSpaceGradient gradient, int n)
    {
        for (var i = 0; i < n; i++)
        {
            gradient.Vx[i] += c * v[i];
            gradient.Vy[i] += c * v[n + i];
            gradient.Vz[i] += c * v[2 * n + i];
        }
    }
}
