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

    /// <summary>
    /// The constant the run subtracts from u_ab: u_ab(r_c) when the potential is shifted ([potential] shift = true),
    /// else 0. Exports subtract it as well, so that a table run in LAMMPS gives the run's energies.
    /// </summary>
    double EnergyShift(int a, int b) => 0.0;

    void GetParameters(Span<double> destination);

    /// <summary>
    /// Forgets the neighbour list, so the next evaluation rebuilds it from the current positions. Called at the start
    /// of every window: the trajectory then depends only on the window's initial state, and a resumed training run
    /// repeats the uninterrupted one exactly.
    /// </summary>
    void InvalidateNeighbours();

    void SetParameters(ReadOnlySpan<double> parameters);

    /// <summary>
    /// Length of the accumulator that <see cref="Backward"/> adds into. For an analytic potential it is θ itself; a
    /// potential evaluated through a table (a neural network on a grid) accumulates per table knot, and maps that to θ
    /// once per window in <see cref="FinishGradient"/>, so the network is not differentiated at every step.
    /// </summary>
    int AccumulatorLength { get; }

    /// <summary>
    /// At the positions of <paramref name="state"/>: adds J·w into <paramref name="positionAdjoint"/> (X, Y, Z) and
    /// (∂F/∂ψ)ᵀ·w into <paramref name="accumulator"/>, ψ being the accumulator's variables.
    /// </summary>
    void Backward(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator);

    /// <summary>∂L/∂θ from the accumulated ∂L/∂ψ: the identity for analytic potentials.</summary>
    void FinishGradient(ReadOnlySpan<double> accumulator, Span<double> parameterGradient);
}
