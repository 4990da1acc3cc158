namespace DiffSim.Potentials.Neural;

/// <summary>
/// One type pair's neural potential: u(r) = S(r)·(E(r) + P(r)) with E a <see cref="PairNetwork"/>, P the fixed prior and
/// S the cutoff switch; or, temperature-dependent, u(r; T) = S(r)·(E(r) + P(r) − w(T)·N_S(r)) with a second network N_S
/// for the entropy-like part (Wang et al.'s coarse-grained water), w = T or, with a reference temperature T₀,
/// w = (T − T₀)/T₀ (<see cref="NeuralPairOptions.ReferenceTemperature"/>). θ of the pair is (θ_E, θ_S).
/// Not thread-safe (the networks hold scratch buffers).
/// </summary>
public sealed class NeuralPairModel
{
    public NeuralPairModel(NeuralPairOptions options)
    {
        Energy = new PairNetwork(options.Network, options.Cutoff);
        Entropy = options.Temperature is null ? null : new PairNetwork(options.Network, options.Cutoff);
        Temperature = options.Temperature ?? 0;
        EntropyWeight = options.ReferenceTemperature is { } t0 ? (Temperature - t0) / t0 : Temperature;
        Switch = new CutoffSwitch(options.ResolvedSwitchOn, options.Cutoff);
        Prior = options.Prior ?? default;
    }

    public PairNetwork Energy { get; }

    /// <summary>The network multiplied by −<see cref="EntropyWeight"/>; null for the temperature-independent model.</summary>
    public PairNetwork? Entropy { get; }

    public double Temperature { get; }

    /// <summary>w(T) that multiplies −N_S: T, or (T − T₀)/T₀ with a reference temperature.</summary>
    public double EntropyWeight { get; }
    public CutoffSwitch Switch { get; }
    public RepulsivePrior Prior { get; }
    public int ParameterCount => Energy.ParameterCount + (Entropy?.ParameterCount ?? 0);

    /// <summary>
    /// Deterministic initial θ of the pair: Xavier-uniform E; for the temperature-dependent model, S with a zero output
    /// layer, so that training starts from u = E (which the prefit fits) and learns the T-dependence from there.
    /// </summary>
    public void Initialise(Span<double> theta, ulong seed, ulong stream)
    {
        Energy.Initialise(theta[..Energy.ParameterCount], seed, 2 * stream);
        Entropy?.Initialise(theta[Energy.ParameterCount..], seed, 2 * stream + 1, zeroOutput: true);
    }

    public string ParameterName(int p)
        => Entropy is null ? Energy.ParameterName(p)
        : p < Energy.ParameterCount ? "E." + Energy.ParameterName(p) : "S." + Entropy.ParameterName(p - Energy.ParameterCount);

    /// <summary>u(r), and du/dr in <paramref name="derivative"/>, from the networks directly.</summary>
    public double Evaluate(ReadOnlySpan<double> theta, double r, out double derivative)
    {
        var s = Switch.Value(r, out var ds);
        if (s == 0 && ds == 0) { derivative = 0; return 0; }
        var v = Energy.Evaluate(theta[..Energy.ParameterCount], r, out var dv);
        v += Prior.Value(r, out var dp);
        dv += dp;
        if (Entropy is not null)
        {
            var e = Entropy.Evaluate(theta[Energy.ParameterCount..], r, out var de);
            v -= EntropyWeight * e;
            dv -= EntropyWeight * de;
        }
        derivative = ds * v + s * dv;
        return s * v;
    }

    /// <summary>Values y_k = u(r_k) and slopes m_k = u'(r_k) on the given knots.</summary>
    public void Fill(ReadOnlySpan<double> theta, ReadOnlySpan<double> knots, Span<double> values, Span<double> slopes)
    {
        for (var k = 0; k < knots.Length; k++) values[k] = Evaluate(theta, knots[k], out slopes[k]);
    }

    /// <summary>
    /// Adds ∂(Σ_k a_k u(r_k) + b_k u'(r_k))/∂θ to <paramref name="gradient"/>. With u = S·v, u' = S'v + S v':
    /// ∂u/∂θ = S ∂v/∂θ, ∂u'/∂θ = S' ∂v/∂θ + S ∂v'/∂θ, and v = E − w·N_S, so the network sees a_k S + b_k S' on its
    /// value and b_k S on its derivative (times −w for N_S).
    /// </summary>
    public void Backward(ReadOnlySpan<double> theta, ReadOnlySpan<double> knots, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> gradient)
    {
        var ne = Energy.ParameterCount;
        for (var k = 0; k < knots.Length; k++)
        {
            var r = knots[k];
            var s = Switch.Value(r, out var ds);
            var onValue = a[k] * s + b[k] * ds;
            var onDerivative = b[k] * s;
            if (onValue == 0 && onDerivative == 0) continue;
            Energy.Backward(theta[..ne], r, onValue, onDerivative, gradient[..ne]);
            Entropy?.Backward(theta[ne..], r, -EntropyWeight * onValue, -EntropyWeight * onDerivative, gradient[ne..]);
        }
    }
}
