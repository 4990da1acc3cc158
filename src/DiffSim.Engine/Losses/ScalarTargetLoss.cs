namespace DiffSim.Losses;

/// <summary>
/// A squared deviation of one window average (pressure, potential energy, …) from its target: L = w ((A − A*)/s)², with a
/// scale s to make terms of different units comparable. Length 1: value[0] is the average A, and ∂L/∂A goes back to
/// whoever differentiates A (the virial's derivative for the pressure belongs to the integrator's adjoint).
/// </summary>
public sealed class ScalarTargetLoss : IWindowLoss
{
    /// <param name="target">The target A*.</param>
    /// <param name="weight">Weight w ≥ 0.</param>
    /// <param name="scale">Scale s &gt; 0 (units of A).</param>
    public ScalarTargetLoss(double target, double weight = 1.0, double scale = 1.0)
    {
        if (!double.IsFinite(target)) throw new ArgumentException($"scalar loss target must be finite, got {target}");
        if (!(weight >= 0) || double.IsInfinity(weight)) throw new ArgumentException($"scalar loss weight must be finite and non-negative, got {weight}");
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentException($"scalar loss scale must be positive, got {scale}");
        Target = target;
        Weight = weight;
        Scale = scale;
    }

    public double Target { get; }
    public double Weight { get; }
    public double Scale { get; }

    public int Length => 1;

    /// <summary>L for a single average, and ∂L/∂A.</summary>
    public (double Loss, double Derivative) Evaluate(double average)
    {
        var d = (average - Target) / Scale;
        return (Weight * d * d, 2 * Weight * d / Scale);
    }

    public double Evaluate(ReadOnlySpan<double> value, Span<double> dLossdValue)
    {
        if (value.Length != 1 || dLossdValue.Length != 1) throw new ArgumentException($"scalar loss takes one value, got {value.Length} (gradient {dLossdValue.Length})");
        var (loss, derivative) = Evaluate(value[0]);
        dLossdValue[0] = derivative;
        return loss;
    }
}
