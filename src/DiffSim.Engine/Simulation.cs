using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim;

/// <summary>Raised when a run produces a non-finite energy: the time step is too large, particles overlap, or the potential is unphysical.</summary>
public sealed class SimulationDivergedException(long step, string detail)
    : Exception($"the simulation diverged at step {step}: {detail}; reduce the time step, start from a less dense or relaxed structure, or check the potential parameters")
{
    public long Step { get; } = step;
}

/// <summary>A state advanced by an integrator under a force field: the forward simulation.</summary>
public sealed class Simulation
{
    public Simulation(State state, IForceField forces, IIntegrator integrator)
    {
        State = state;
        Forces = forces;
        Integrator = integrator;
        integrator.Initialise(state);
        Last = forces.Compute(state);
        CheckFinite();
    }

    public State State { get; }
    public IForceField Forces { get; }
    public IIntegrator Integrator { get; }

    /// <summary>Energy and virial at the current positions.</summary>
    public ForceResult Last { get; private set; }

    public void Step()
    {
        Last = Integrator.Step(State, Forces);
        CheckFinite();
    }

    public void Run(long steps, Action<Simulation>? afterStep = null)
    {
        for (long s = 0; s < steps; s++)
        {
            Step();
            afterStep?.Invoke(this);
        }
    }

    /// <summary>Thermodynamic quantities of the current state.</summary>
    public ThermoSample Thermo()
    {
        var s = State;
        var n = s.Count;
        var ke = s.KineticEnergy();
        var pe = Last.Energy;
        var t = 2 * ke / (s.DegreesOfFreedom * s.Units.Boltzmann);
        var pressure = (2 * ke + Last.Virial) / (3 * s.Box.Volume) * s.Units.EnergyPerVolumeToPressure;
        var conserved = ke + pe + Integrator.ThermostatEnergy(s);
        return new ThermoSample(s.Step, t, pe / n, ke / n, (ke + pe) / n, pressure, conserved / n);
    }

    private void CheckFinite()
    {
        if (!double.IsFinite(Last.Energy) || !double.IsFinite(Last.Virial))
            throw new SimulationDivergedException(State.Step, $"the potential energy is {Last.Energy}");
    }
}
