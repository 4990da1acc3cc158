namespace DiffSim.Losses;

/// <summary>
/// A loss on the window average O of an observable (<see cref="Observables.IWindowObservable.Value"/>, or a scalar such as a
/// thermo average): returns L(O) and its exact gradient ∂L/∂O, which the reverse pass hands to
/// <see cref="Observables.IWindowObservable.Backward"/>.
/// </summary>
public interface IWindowLoss
{
    /// <summary>Length of the value vector this loss accepts.</summary>
    int Length { get; }

    /// <summary>Returns L(<paramref name="value"/>) and overwrites <paramref name="dLossdValue"/> (same length) with ∂L/∂O.</summary>
    double Evaluate(ReadOnlySpan<double> value, Span<double> dLossdValue);
}
