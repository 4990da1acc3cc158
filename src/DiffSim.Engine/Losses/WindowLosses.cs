namespace DiffSim.Losses;

/// <summary>Adapters from a loss object to what <see cref="Adjoint.WindowGradient"/> and the trainer take.</summary>
public static class WindowLosses
{
    /// <summary>The window's loss: <paramref name="loss"/> on observable <paramref name="observable"/> of the window's list.</summary>
    public static Adjoint.WindowLoss OnObservable(this IWindowLoss loss, int observable = 0)
        => (observables, dLoss) => loss.Evaluate(observables[observable].Value, dLoss[observable]);
}
