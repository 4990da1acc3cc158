using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Systems;

namespace DiffSim.Integrators;

/// <summary>A time-stepping scheme. Forces in the state are those of its positions on entry and on exit.</summary>
public interface IIntegrator
{
    /// <summary>Time step (time units).</summary>
    double TimeStep { get; }

    /// <summary>Sizes the thermostat variables of the state, zeroed; variables already of the right size are kept, so a run can continue.</summary>
    void Initialise(State state);

    /// <summary>The part of a step before the force evaluation (kicks, drifts, thermostat half-steps).</summary>
    void BeforeForces(State state);

    /// <summary>The part of a step after the force evaluation; it advances <see cref="State.Step"/>.</summary>
    void AfterForces(State state);

    /// <summary>Advances one step and returns the force result at the new positions.</summary>
    ForceResult Step(State state, IForceField forces)
    {
        BeforeForces(state);
        var result = forces.Compute(state);
        AfterForces(state);
        return result;
    }

    /// <summary>
    /// <see cref="Step"/> with the forces alone (<see cref="IForceField.ComputeForces"/>): the same trajectory, for steps
    /// whose energy nobody reads. Returns whether every force is finite.
    /// </summary>
    bool StepForces(State state, IForceField forces)
    {
        BeforeForces(state);
        var finite = forces.ComputeForces(state);
        AfterForces(state);
        return finite;
    }

    /// <summary>
    /// <see cref="StepForces(State, IForceField)"/> from <paramref name="from"/> into <paramref name="to"/>, a state of
    /// the same particles, leaving <paramref name="from"/> as it was: where both states are kept (a window's stored
    /// states), an integrator that reads one and writes the other saves copying the state.
    /// </summary>
    bool StepForces(State from, State to, IForceField forces)
    {
        from.CopyTo(to);
        return StepForces(to, forces);
    }

    /// <summary>The thermostat's term of the conserved quantity (energy units, whole system); zero for NVE.</summary>
    double ThermostatEnergy(State state);

    /// <summary>
    /// The exact discrete adjoint of <see cref="Step"/>, where <paramref name="after"/> = Step(<paramref name="before"/>)
    /// (both with their forces). On entry <paramref name="adjoint"/> holds ∂L/∂(after) and kicks deferred to
    /// after's positions; on exit it holds ∂L/∂(before) and kicks deferred to before's positions, and the
    /// parameter gradient has gained this step's part.
    /// </summary>
    void AdjointStep(State before, State after, AdjointState adjoint, IDifferentiableForceField field);
}
