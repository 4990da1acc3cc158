namespace DiffSim.Losses;

/// <summary>
/// Mean squared error of a normalised velocity autocorrelation against a normalised target:
/// L = (1/L) Σ_τ w_τ (C(τ)/C(0) − c^target(τ))², for a target known only in shape (c(0) = 1).
/// </summary>
/// <remarks>
/// With e_τ = C(τ)/C(0) − c(τ): ∂L/∂C(τ) = (2/L) w_τ e_τ / C(0), and C(0) also gets −(2/L) Σ_τ w_τ e_τ C(τ)/C(0)²
/// (the τ = 0 terms of the two cancel: its ratio is always 1).
/// </remarks>
public sealed class NormalisedVacfMseLoss : IWindowLoss
{
    private readonly double[] _target, _weight;

    /// <param name="target">Normalised target c(τ), τ = 0 … L − 1.</param>
    /// <param name="weights">Optional weight w_τ ≥ 0 per lag; 1 when omitted.</param>
    public NormalisedVacfMseLoss(ReadOnlySpan<double> target, ReadOnlySpan<double> weights = default)
    {
        if (target.Length == 0) throw new ArgumentException("vacf loss needs at least one lag");
        if (!weights.IsEmpty && weights.Length != target.Length) throw new ArgumentException($"vacf loss has {weights.Length} weights for {target.Length} lags");
        _target = target.ToArray();
        _weight = new double[target.Length];
        for (var k = 0; k < _weight.Length; k++)
        {
            var w = weights.IsEmpty ? 1.0 : weights[k];
            if (!(w >= 0) || double.IsInfinity(w)) throw new ArgumentException($"vacf loss: weight {k} is {w}; weights must be finite and non-negative");
            if (!double.IsFinite(_target[k])) throw new ArgumentException($"vacf loss: target {k} is {_target[k]}");
            _weight[k] = w / target.Length;
        }
    }

    public int Length => _target.Length;

    public double Evaluate(ReadOnlySpan<double> value, Span<double> dLossdValue)
    {
        if (value.Length != Length || dLossdValue.Length != Length) throw new ArgumentException($"vacf loss expects {Length} lags, got {value.Length} (gradient {dLossdValue.Length})");
        var c0 = value[0];
        if (!(c0 > 0)) throw new ArgumentException($"vacf loss: C(0) = {c0} cannot normalise the vacf");
        var loss = 0.0;
        dLossdValue.Clear();
        for (var k = 0; k < Length; k++)
        {
            var e = value[k] / c0 - _target[k];
            loss += _weight[k] * e * e;
            var g = 2 * _weight[k] * e / c0;
            dLossdValue[k] += g;
            dLossdValue[0] -= g * value[k] / c0;
        }
        return loss;
    }
}
