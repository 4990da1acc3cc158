using DiffSim.Adjoint;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Training;

/// <summary>
/// One system that the shared potential is fitted to: its state, its own copy of the force field (parameters are
/// copied in before each window), integrator, observables and loss, and its weight in the total loss. No two state
/// points may share any of these objects: they run concurrently and write into them (<see cref="Trainer"/> refuses a
/// shared state, field, integrator or observable; a loss is a delegate, so give each point its own loss object).
/// </summary>
public sealed class StatePoint
{
    public required string Name { get; init; }
    public required State State { get; init; }
    public required IDifferentiableForceField Field { get; init; }
    public required IIntegrator Integrator { get; init; }
    public required IReadOnlyList<IWindowObservable> Observables { get; init; }
    public required WindowLoss Loss { get; init; }
    public double Weight { get; init; } = 1.0;

    /// <summary>Steps run (with the initial parameters) before training starts.</summary>
    public int EquilibrationSteps { get; init; }

    internal WindowGradient? Gradient { get; set; }
}
