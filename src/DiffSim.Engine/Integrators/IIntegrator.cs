using DiffSim.Forces;
using DiffSim.Systems;

namespace DiffSim.Integrators;

/// <summary>A time-stepping scheme. Forces in the state are those of its positions on entry and on exit.</summary>
public interface IIntegrator
{
    /// <summary>Time step (time units).</summary>
    double TimeStep { get; }

    /// <summary>Sizes and sets the thermostat variables of the state.</summary>
    void Initialise(State state);

    /// <summary>Advances one step and returns the force result at the new positions.</summary>
    ForceResult Step(State state, IForceField forces);

    /// <summary>The thermostat's term of the conserved quantity (energy units, whole system); zero for NVE.</summary>
    double ThermostatEnergy(State state);
}
