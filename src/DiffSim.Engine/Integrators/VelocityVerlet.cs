using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        Begin(state);
        var result = forces.Compute(state);
        End(state);
        return result;
    }

    public bool StepForces(State state, IForceField forces)
    {
        Begin(state);
        var finite = forces.ComputeForces(state);
        End(state);
        return finite;
    }

    /// <summary>The step up to the force evaluation.</summary>
    private void Begin(State state)
    {
        Kick(state, 0.5 * TimeStep);
        Drift(state, TimeStep);
    }

    /// <summary>The step after the force evaluation.</summary>
    private void End(State state)
    {
        Kick(state, 0.5 * TimeStep);
        state.Step++;
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
        AddScaled(g.Vx, h, g.X);
        AddScaled(g.Vy, h, g.Y);
        AddScaled(g.Vz, h, g.Z);
    }

    /// <summary>v ← v + h F/m.</summary>
    internal static void Kick(State s, double h)
    {
        var c = h * s.Units.ForceToAcceleration;
        var n = s.Count;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var cv = Vector256.Create(c);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = cv / Load(s.Mass, i);
                Store(Load(s.Vx, i) + a * Load(s.Fx, i), s.Vx, i);
                Store(Load(s.Vy, i) + a * Load(s.Fy, i), s.Vy, i);
                Store(Load(s.Vz, i) + a * Load(s.Fz, i), s.Vz, i);
            }
        }
        for (; i < n; i++)
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
        AddScaled(s.X, h, s.Vx);
        AddScaled(s.Y, h, s.Vy);
        AddScaled(s.Z, h, s.Vz);
    }

    /// <summary>v ← λ v.</summary>
    internal static void Scale(State s, double lambda)
    {
        Scale(s.Vx, lambda);
        Scale(s.Vy, lambda);
        Scale(s.Vz, lambda);
    }

    /// <summary>y ← y + h x, four at a time (the same operations as the scalar remainder, so the same bits).</summary>
    internal static void AddScaled(double[] y, double h, double[] x)
    {
        var n = Math.Min(y.Length, x.Length);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var hv = Vector256.Create(h);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count) Store(Load(y, i) + hv * Load(x, i), y, i);
        }
        for (; i < n; i++) y[i] += h * x[i];
    }

    /// <summary>y ← λ y, four at a time.</summary>
    internal static void Scale(double[] y, double lambda)
    {
        var n = y.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var l = Vector256.Create(lambda);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count) Store(Load(y, i) * l, y, i);
        }
        for (; i < n; i++) y[i] *= lambda;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Load(double[] a, int i) => Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store(Vector256<double> v, double[] a, int i) => v.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)i);
}
