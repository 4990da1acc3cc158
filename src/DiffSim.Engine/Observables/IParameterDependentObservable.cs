using DiffSim.Adjoint;
using DiffSim.Systems;

namespace DiffSim.Observables;

/// <summary>
/// A window observable that depends on the potential's parameters directly, not only through the trajectory (the
/// pressure through the virial, the potential energy). <see cref="Adjoint.WindowGradient"/> calls this
/// <see cref="Backward"/> in place of <see cref="IWindowObservable.Backward"/>, handing it the accumulator of
/// <see cref="IDifferentiableForceField.Backward"/>.
/// </summary>
public interface IParameterDependentObservable : IWindowObservable
{
    /// <summary>
    /// Adds (∂O/∂(x, v) of frame <paramref name="frame"/>)ᵀ · <paramref name="dLossdValue"/> into
    /// <paramref name="gradient"/> and (∂O/∂ψ)ᵀ · <paramref name="dLossdValue"/> into <paramref name="accumulator"/>,
    /// ψ being the field's accumulator variables.
    /// </summary>
    void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient, Span<double> accumulator);
}
