using DiffSim.Forces;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// A force field with trainable parameters θ whose reverse pass is available: for a vector w over particles it adds
/// J·w to a position adjoint (J = ∂F/∂x, symmetric for conservative forces) and (∂F/∂θ)ᵀ·w to a parameter gradient.
/// </summary>
public interface IDifferentiableForceField : IForceField
{
    int ParameterCount { get; }

    /// <summary>Names of the parameters, e.g. <c>epsilon[A-A]</c>.</summary>
    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Number of particle types.</summary>
    int TypeCount { get; }

    /// <summary>Cutoff of type pair (a, b).</summary>
    double Cutoff(int a, int b);

    /// <summary>u_ab(r) without any shift, and du/dr in <paramref name="derivative"/>: what tables and plots show.</summary>
    double PairEnergy(int a, int b, double r, out double derivative);

    void GetParameters(Span<double> destination);

    void SetParameters(ReadOnlySpan<double> parameters);

    /// <summary>
    /// At the positions of <paramref name="state"/>: adds J·w into <paramref name="positionAdjoint"/> (X, Y, Z) and
    /// (∂F/∂θ)ᵀ·w into <paramref name="parameterGradient"/>.
    /// </summary>
    void Backward(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> parameterGradient);
}
