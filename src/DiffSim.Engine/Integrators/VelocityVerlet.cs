using System.Runtime.Intrinsics;
using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Systems;
using static DiffSim.Numerics.DoubleLanes;

namespace DiffSim.Integrators;

/// <summary>Velocity Verlet (NVE): v ← v + ½Δt F/m; x ← x + Δt v; F ← F(x); v ← v + ½Δt F/m.</summary>
public sealed class VelocityVerlet(double timeStep) : IIntegrator
{
    public double TimeStep { get; } = timeStep > 0 ? timeStep : throw new ArgumentException($"time step must be positive, got {timeStep}");

    public void Initialise(State state) => state.Thermostat = [];

    /// <summary>The opening kick and drift in one pass (a scaling by 1 is exact): the bits of a kick, then a drift.</summary>
    public void BeforeForces(State state) => ScaleKickDrift(state, state, 1, 0.5 * TimeStep, TimeStep);

    public void AfterForces(State state)
    {
        Kick(state, 0.5 * TimeStep);
        state.Step++;
    }

    public bool StepForces(State from, State to, IForceField forces)
    {
        // The opening kick and drift as a scaling by 1 (exact), written to `to`; the rest of a step happens there.
        CopyUnstepped(from, to);
        ScaleKickDrift(from, to, 1, 0.5 * TimeStep, TimeStep);
        var finite = forces.ComputeForces(to);
        AfterForces(to);
        return finite;
    }

    public double ThermostatEnergy(State state) => 0.0;

    public void AdjointStep(State before, State after, AdjointState adjoint, IDifferentiableForceField field)
    {
        adjoint.DeferKick(after, 0.5 * TimeStep);
        adjoint.Flush(after, field);
        adjoint.DriftAndDeferKick(before, TimeStep, 0.5 * TimeStep);
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
            ref var mass = ref Data(s.Mass);
            ref double vx = ref Data(s.Vx), vy = ref Data(s.Vy), vz = ref Data(s.Vz);
            ref double fx = ref Data(s.Fx), fy = ref Data(s.Fy), fz = ref Data(s.Fz);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = cv / Load(ref mass, i);
                Store(Load(ref vx, i) + a * Load(ref fx, i), ref vx, i);
                Store(Load(ref vy, i) + a * Load(ref fy, i), ref vy, i);
                Store(Load(ref vz, i) + a * Load(ref fz, i), ref vz, i);
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

    /// <summary>
    /// v ← λ v, then v ← v + h F/m, then x ← x + Δt v, in one pass: a thermostat's scaling followed by the opening
    /// kick and drift of a step, with the bits of <see cref="Scale(State, double)"/>, <see cref="Kick"/> and <see cref="Drift"/>.
    /// Reads <paramref name="s"/> and writes the positions and velocities of <paramref name="to"/> (which may be <paramref name="s"/>).
    /// </summary>
    internal static void ScaleKickDrift(State s, State to, double lambda, double h, double dt)
    {
        var c = h * s.Units.ForceToAcceleration;
        var n = s.Count;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (cv, l, dtv) = (Vector256.Create(c), Vector256.Create(lambda), Vector256.Create(dt));
            ref var mass = ref Data(s.Mass);
            ref double x = ref Data(s.X), y = ref Data(s.Y), z = ref Data(s.Z);
            ref double ux = ref Data(s.Vx), uy = ref Data(s.Vy), uz = ref Data(s.Vz);
            ref double fx = ref Data(s.Fx), fy = ref Data(s.Fy), fz = ref Data(s.Fz);
            ref double toX = ref Data(to.X), toY = ref Data(to.Y), toZ = ref Data(to.Z);
            ref double toVx = ref Data(to.Vx), toVy = ref Data(to.Vy), toVz = ref Data(to.Vz);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = cv / Load(ref mass, i);
                var vx = Load(ref ux, i) * l + a * Load(ref fx, i);
                var vy = Load(ref uy, i) * l + a * Load(ref fy, i);
                var vz = Load(ref uz, i) * l + a * Load(ref fz, i);
                Store(vx, ref toVx, i); Store(vy, ref toVy, i); Store(vz, ref toVz, i);
                Store(Load(ref x, i) + dtv * vx, ref toX, i);
                Store(Load(ref y, i) + dtv * vy, ref toY, i);
                Store(Load(ref z, i) + dtv * vz, ref toZ, i);
            }
        }
        for (; i < n; i++)
        {
            var a = c / s.Mass[i];
            var vx = to.Vx[i] = s.Vx[i] * lambda + a * s.Fx[i];
            var vy = to.Vy[i] = s.Vy[i] * lambda + a * s.Fy[i];
            var vz = to.Vz[i] = s.Vz[i] * lambda + a * s.Fz[i];
            to.X[i] = s.X[i] + dt * vx;
            to.Y[i] = s.Y[i] + dt * vy;
            to.Z[i] = s.Z[i] + dt * vz;
        }
    }

    /// <summary>
    /// <see cref="Kick"/>, returning the kinetic energy after it: the closing kick of a step and the thermostat's
    /// reading of it in one pass, summed as <see cref="State.KineticEnergy"/> sums, so with its bits.
    /// </summary>
    internal static double KickKineticEnergy(State s, double h)
    {
        var c = h * s.Units.ForceToAcceleration;
        var n = s.Count;
        var i = 0;
        var sum = 0.0;
        if (Vector256.IsHardwareAccelerated)
        {
            var cv = Vector256.Create(c);
            var lanes = Vector256<double>.Zero;
            ref var mass = ref Data(s.Mass);
            ref double ux = ref Data(s.Vx), uy = ref Data(s.Vy), uz = ref Data(s.Vz);
            ref double fx = ref Data(s.Fx), fy = ref Data(s.Fy), fz = ref Data(s.Fz);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var m = Load(ref mass, i);
                var a = cv / m;
                var vx = Load(ref ux, i) + a * Load(ref fx, i);
                var vy = Load(ref uy, i) + a * Load(ref fy, i);
                var vz = Load(ref uz, i) + a * Load(ref fz, i);
                Store(vx, ref ux, i); Store(vy, ref uy, i); Store(vz, ref uz, i);
                lanes += m * (vx * vx + vy * vy + vz * vz);
            }
            sum = Vector256.Sum(lanes);
        }
        for (; i < n; i++)
        {
            var a = c / s.Mass[i];
            s.Vx[i] += a * s.Fx[i];
            s.Vy[i] += a * s.Fy[i];
            s.Vz[i] += a * s.Fz[i];
            sum += s.Mass[i] * (s.Vx[i] * s.Vx[i] + s.Vy[i] * s.Vy[i] + s.Vz[i] * s.Vz[i]);
        }
        return 0.5 * sum * s.Units.MvvToEnergy;
    }

    /// <summary>What an out-of-place step takes over unchanged before it writes the positions and velocities: box, step count, thermostat variables.</summary>
    internal static void CopyUnstepped(State from, State to)
    {
        to.Box = from.Box;
        to.Step = from.Step;
        if (to.Thermostat.Length != from.Thermostat.Length) to.Thermostat = new double[from.Thermostat.Length];
        from.Thermostat.CopyTo(to.Thermostat, 0);
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
            ref double yy = ref Data(y), xx = ref Data(x);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count) Store(Load(ref yy, i) + hv * Load(ref xx, i), ref yy, i);
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
            ref var yy = ref Data(y);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count) Store(Load(ref yy, i) * l, ref yy, i);
        }
        for (; i < n; i++) y[i] *= lambda;
    }
}
