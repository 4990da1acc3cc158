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

    /// <summary>What went wrong, without the step and the advice (for a caller that names the run).</summary>
    public string Detail { get; } = detail;
}

/// <summary>A state advanced by an integrator under a force field: the forward simulation.</summary>
/// <remarks>
/// Steps that nobody reads the energy of (<see cref="Run"/>, <c>Step(energy: false)</c>) have the force field compute
/// the forces alone; <see cref="Last"/> is then computed when read, from the same positions (the same forces again).
/// Such steps check the forces instead of the energy for divergence.
/// </remarks>
public sealed class Simulation
{
    private ForceResult _last;
    private bool _lastPending;

    public Simulation(State state, IForceField forces, IIntegrator integrator)
    {
        State = state;
        Forces = forces;
        Integrator = integrator;
        integrator.Initialise(state);
        _last = forces.Compute(state);
        CheckFinite();
    }

    public State State { get; }
    public IForceField Forces { get; }
    public IIntegrator Integrator { get; }

    /// <summary>Energy and virial at the current positions (after a step without energy, one more force evaluation).</summary>
    public ForceResult Last
    {
        get
        {
            if (_lastPending)
            {
                _last = Forces.Compute(State);
                _lastPending = false;
                CheckFinite();
            }
            return _last;
        }
    }

    /// <summary>One step; with <paramref name="energy"/> false the force field computes the forces alone (read <see cref="Last"/> only when needed).</summary>
    public void Step(bool energy = true)
    {
        if (energy)
        {
            _last = Integrator.Step(State, Forces);
            _lastPending = false;
            CheckFinite();
            return;
        }
        if (!Integrator.StepForces(State, Forces)) throw new SimulationDivergedException(State.Step, "a force is not finite");
        _lastPending = true;
    }

    /// <summary>Steps without energy; <paramref name="afterStep"/> may still read <see cref="Last"/> or <see cref="Thermo"/>, at the cost of an evaluation.</summary>
    public void Run(long steps, Action<Simulation>? afterStep = null)
    {
        for (long s = 0; s < steps; s++)
        {
            Step(energy: false);
            afterStep?.Invoke(this);
        }
    }

    /// <summary>Thermodynamic quantities of the current state.</summary>
    public ThermoSample Thermo()
    {
        var s = State;
        var n = s.Count;
        var ke = s.KineticEnergy();
        var last = Last;
        var pe = last.Energy;
        var t = 2 * ke / (s.DegreesOfFreedom * s.Units.Boltzmann);
        var pressure = (2 * ke + last.Virial) / (3 * s.Box.Volume) * s.Units.EnergyPerVolumeToPressure;
        var conserved = ke + pe + Integrator.ThermostatEnergy(s);
        return new ThermoSample(s.Step, t, pe / n, ke / n, (ke + pe) / n, pressure, conserved / n);
    }

    private void CheckFinite()
    {
        if (!double.IsFinite(_last.Energy) || !double.IsFinite(_last.Virial))
            throw new SimulationDivergedException(State.Step, $"the potential energy is {_last.Energy}");
    }
}
