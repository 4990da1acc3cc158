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

/// <summary>Adapters from a loss object to what <see cref="Adjoint.WindowGradient"/> and the trainer take.</summary>
public static class WindowLosses
{
    /// <summary>The window's loss: <paramref name="loss"/> on observable <paramref name="observable"/> of the window's list.</summary>
    public static Adjoint.WindowLoss OnObservable(this IWindowLoss loss, int observable = 0)
        => (observables, dLoss) => loss.Evaluate(observables[observable].Value, dLoss[observable]);
}
