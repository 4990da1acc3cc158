namespace DiffSim.Losses;

/// <summary>
/// L = Σ_k w_k (O_k − t_k)²: the core of every squared-error loss here. Entries with w_k = 0 are skipped, so their target
/// may be anything (NaN included) and their gradient is exactly 0.
/// </summary>
public sealed class WeightedSquaredError : IWindowLoss
{
    private readonly double[] _target, _weight;

    /// <param name="target">Target t_k.</param>
    /// <param name="weight">Weight w_k ≥ 0 of each entry (same length as the target).</param>
    public WeightedSquaredError(ReadOnlySpan<double> target, ReadOnlySpan<double> weight)
    {
        if (target.Length != weight.Length) throw new ArgumentException($"squared-error loss: target has {target.Length} entries but weights {weight.Length}");
        for (var k = 0; k < weight.Length; k++)
        {
            if (!(weight[k] >= 0) || double.IsInfinity(weight[k])) throw new ArgumentException($"squared-error loss: weight {k} is {weight[k]}; weights must be finite and non-negative");
            if (weight[k] > 0 && !double.IsFinite(target[k])) throw new ArgumentException($"squared-error loss: target {k} is {target[k]} where its weight is {weight[k]}");
        }
        _target = target.ToArray();
        _weight = weight.ToArray();
    }

    public int Length => _target.Length;

    /// <summary>The target t.</summary>
    public ReadOnlySpan<double> Target => _target;

    /// <summary>The weights w.</summary>
    public ReadOnlySpan<double> Weight => _weight;

    public double Evaluate(ReadOnlySpan<double> value, Span<double> dLossdValue)
    {
        if (value.Length != Length) throw new ArgumentException($"squared-error loss expects a value of length {Length}, got {value.Length}");
        if (dLossdValue.Length != Length) throw new ArgumentException($"squared-error loss: gradient has length {dLossdValue.Length}, expected {Length}");
        var loss = 0.0;
        for (var k = 0; k < Length; k++)
        {
            var w = _weight[k];
            if (w == 0) { dLossdValue[k] = 0; continue; }
            var d = value[k] - _target[k];
            loss += w * d * d;
            dLossdValue[k] = 2 * w * d;
        }
        return loss;
    }
}
