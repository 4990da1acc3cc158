using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Systems;

namespace DiffSim.Integrators;

/// <summary>Velocity Verlet (NVE): v ← v + ½Δt F/m; x ← x + Δt v; F ← F(x); v ← v + ½Δt F/m.</summary>
public sealed class VelocityVerlet(double timeStep) : IIntegrator
{
    public double TimeStep { get; } = timeStep > 0 ? timeStep : throw new ArgumentException($"time step must be positive, got {timeStep}");

    public void Initialise(State state) => state.Thermostat = [];

    public ForceResult Step(State state, IForceField forces)
    {
        Kick(state, 0.5 * TimeStep);
        Drift(state, TimeStep);
        var result = forces.Compute(state);
        Kick(state, 0.5 * TimeStep);
        state.Step++;
        return result;
    }

    public double ThermostatEnergy(State state) => 0.0;

    public void AdjointStep(State before, State after, AdjointState adjoint, IDifferentiableForceField field)
    {
        adjoint.DeferKick(after, 0.5 * TimeStep);
        adjoint.Flush(after, field);
        DriftAdjoint(adjoint.Gradient, TimeStep);
        adjoint.DeferKick(before, 0.5 * TimeStep);
    }

    /// <summary>Adjoint of x ← x + h v: a_v ← a_v + h a_x.</summary>
    internal static void DriftAdjoint(PhaseSpaceGradient g, double h)
    {
        for (var i = 0; i < g.Count; i++)
        {
            g.Vx[i] += h * g.X[i];
            g.Vy[i] += h * g.Y[i];
            g.Vz[i] += h * g.Z[i];
        }
    }

    /// <summary>v ← v + h F/m.</summary>
    internal static void Kick(State s, double h)
    {
        var c = h * s.Units.ForceToAcceleration;
        for (var i = 0; i < s.Count; i++)
        {
            var a = c / s.Mass[i];
            s.Vx[i] += a * s.Fx[i];
            s.Vy[i] += a * s.Fy[i];
            s.Vz[i] += a * s.Fz[i];
        }
    }

    /// <summary>x ← x + h v.</summary>
    internal static void Drift(State s, double h)
    {
        for (var i = 0; i < s.Count; i++)
        {
            s.X[i] += h * s.Vx[i];
            s.Y[i] += h * s.Vy[i];
            s.Z[i] += h * s.Vz[i];
        }
    }

    /// <summary>v ← λ v.</summary>
    internal static void Scale(State s, double lambda)
    {
        for (var i = 0; i < s.Count; i++)
        {
            s.Vx[i] *= lambda; s.Vy[i] *= lambda; s.Vz[i] *= lambda;
        }
    }
}
