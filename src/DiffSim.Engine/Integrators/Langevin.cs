using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Numerics;
using DiffSim.Systems;

namespace DiffSim.Integrators;

/// <summary>
/// Langevin dynamics with the BAOAB splitting (Leimkuhler and Matthews, Appl. Math. Res. Express 2013, 34):
/// kick ½Δt, drift ½Δt, Ornstein–Uhlenbeck v ← c v + √((1−c²) k_B T/m) η with c = exp(−Δt/τ), drift ½Δt,
/// forces, kick ½Δt. The noise η is a pure function of (seed, step, particle, component), so runs are
/// reproducible for any thread count and the adjoint can replay it.
/// </summary>
/// <remarks><see cref="State.Thermostat"/>[0] accumulates the kinetic energy removed by the friction and noise, so that K + U + it is conserved up to the discretisation error.</remarks>
public sealed class Langevin : IIntegrator
{
    public Langevin(double timeStep, double temperature, double dampingTime, ulong seed)
    {
        if (!(timeStep > 0)) throw new ArgumentException($"time step must be positive, got {timeStep}");
        if (!(temperature >= 0)) throw new ArgumentException($"temperature must be non-negative, got {temperature}");
        if (!(dampingTime > 0)) throw new ArgumentException($"tdamp must be positive, got {dampingTime}");
        TimeStep = timeStep;
        Temperature = temperature;
        DampingTime = dampingTime;
        Random = new CounterRandom(seed);
    }

    public double TimeStep { get; }
    public double Temperature { get; }
    public double DampingTime { get; }
    public CounterRandom Random { get; }

    public void Initialise(State state)
    {
        if (state.Thermostat.Length != 1) state.Thermostat = new double[1];
    }

    /// <summary>B, A, O, A: the step up to the force evaluation.</summary>
    public void BeforeForces(State state)
    {
        VelocityVerlet.Kick(state, 0.5 * TimeStep);
        VelocityVerlet.Drift(state, 0.5 * TimeStep);
        var before = state.KineticEnergy();
        Thermalise(state);
        state.Thermostat[0] += before - state.KineticEnergy();
        VelocityVerlet.Drift(state, 0.5 * TimeStep);
    }

    /// <summary>The closing B, after the force evaluation.</summary>
    public void AfterForces(State state)
    {
        VelocityVerlet.Kick(state, 0.5 * TimeStep);
        state.Step++;
    }

    public double ThermostatEnergy(State state) => state.Thermostat[0];

    /// <summary>
    /// Reverse BAOAB. The noise does not depend on the state, so the O step's adjoint is a_v ← c a_v; the heat
    /// counter feeds no dynamics and carries no adjoint.
    /// </summary>
    public void AdjointStep(State before, State after, AdjointState adjoint, IDifferentiableForceField field)
    {
        var g = adjoint.Gradient;
        adjoint.DeferKick(after, 0.5 * TimeStep);
        adjoint.Flush(after, field);
        VelocityVerlet.DriftAdjoint(g, 0.5 * TimeStep);
        var c = Math.Exp(-TimeStep / DampingTime);
        VelocityVerlet.Scale(g.Vx, c);
        VelocityVerlet.Scale(g.Vy, c);
        VelocityVerlet.Scale(g.Vz, c);
        adjoint.DriftAndDeferKick(before, 0.5 * TimeStep, 0.5 * TimeStep);
    }

    /// <summary>The exact Ornstein–Uhlenbeck update over Δt.</summary>
    private void Thermalise(State s)
    {
        var c = Math.Exp(-TimeStep / DampingTime);
        var kt = s.Units.Boltzmann * Temperature / s.Units.MvvToEnergy;
        var stream = (ulong)s.Step;
        for (var i = 0; i < s.Count; i++)
        {
            var sigma = Math.Sqrt((1 - c * c) * kt / s.Mass[i]);
            var k = (ulong)(3 * i);
            s.Vx[i] = c * s.Vx[i] + sigma * Random.Normal(stream, k);
            s.Vy[i] = c * s.Vy[i] + sigma * Random.Normal(stream, k + 1);
            s.Vz[i] = c * s.Vz[i] + sigma * Random.Normal(stream, k + 2);
        }
    }
}
