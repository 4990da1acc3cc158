using DiffSim.Adjoint;
using DiffSim.Systems;

namespace DiffSim.Observables;

/// <summary>
/// A differentiable observable averaged over the frames of a training window: a vector O = (1/F) Σ_f o(frame_f).
/// The forward pass calls <see cref="Accumulate"/> on each frame in order; after the loss has produced ∂L/∂O,
/// the reverse pass calls <see cref="Backward"/> on the same frames (in any order), which adds ∂L/∂x and ∂L/∂v of
/// that frame.
/// </summary>
public interface IWindowObservable
{
    /// <summary>Length of the observable vector.</summary>
    int Length { get; }

    /// <summary>Starts a new window: forgets accumulated frames.</summary>
    void Reset();

    /// <summary>Adds frame number <paramref name="frame"/> (0, 1, ... within the window) to the average.</summary>
    void Accumulate(int frame, State state);

    /// <summary>Number of frames accumulated since <see cref="Reset"/>.</summary>
    int Frames { get; }

    /// <summary>The window average O (length <see cref="Length"/>).</summary>
    ReadOnlySpan<double> Value { get; }

    /// <summary>Adds (∂O/∂(x, v) of frame <paramref name="frame"/>)ᵀ · <paramref name="dLossdValue"/> into <paramref name="gradient"/>.</summary>
    void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient);
}
