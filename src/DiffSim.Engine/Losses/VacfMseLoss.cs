namespace DiffSim.Losses;

/// <summary>
/// Mean squared error of a velocity autocorrelation against a target: L = (1/L) Σ_τ w_τ (C(τ) − C^target(τ))².
/// </summary>
public sealed class VacfMseLoss : IWindowLoss
{
    private readonly WeightedSquaredError _core;

    /// <param name="target">Target C(τ), τ = 0 … L − 1 (same units as the simulated one).</param>
    /// <param name="weights">Optional weight w_τ ≥ 0 per lag; 1 when omitted.</param>
    public VacfMseLoss(ReadOnlySpan<double> target, ReadOnlySpan<double> weights = default)
    {
        if (target.Length == 0) throw new ArgumentException("vacf loss needs at least one lag");
        if (!weights.IsEmpty && weights.Length != target.Length) throw new ArgumentException($"vacf loss has {weights.Length} weights for {target.Length} lags");
        var w = new double[target.Length];
        for (var k = 0; k < w.Length; k++) w[k] = (weights.IsEmpty ? 1.0 : weights[k]) / target.Length;
        _core = new WeightedSquaredError(target, w);
    }

    public int Length => _core.Length;

    public double Evaluate(ReadOnlySpan<double> value, Span<double> dLossdValue) => _core.Evaluate(value, dLossdValue);
}
