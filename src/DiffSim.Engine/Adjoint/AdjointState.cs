using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Systems;
using static DiffSim.Numerics.DoubleLanes;

namespace DiffSim.Adjoint;

/// <summary>
/// The adjoint carried backwards through a trajectory: ∂L/∂(x, v, thermostat) of the current state, and a deferred
/// force-Jacobian product. Every integrator here ends and starts its step with a velocity kick at the same positions,
/// and nothing between those two kicks reads the position adjoint; so the two kicks' J·w products at x_n are summed
/// into <see cref="PendingX"/>… and applied with one pass over the pairs (<see cref="Flush"/>) instead of two.
/// </summary>
public sealed class AdjointState
{
    public AdjointState(int count, int accumulatorLength)
    {
        Gradient = new PhaseSpaceGradient(count);
        PendingX = new double[count]; PendingY = new double[count]; PendingZ = new double[count];
        Accumulator = new double[accumulatorLength];
    }

    private double[] _inverseMass = [];

    public PhaseSpaceGradient Gradient { get; }

    /// <summary>The deferred products w (<see cref="DeferKick"/>); what a flush leaves in them is stale, and read only while <see cref="HasPending"/>.</summary>
    public double[] PendingX { get; }
    public double[] PendingY { get; }
    public double[] PendingZ { get; }
    public bool HasPending { get; private set; }

    /// <summary>∂L/∂ψ accumulated so far (see <see cref="IDifferentiableForceField.AccumulatorLength"/>).</summary>
    public double[] Accumulator { get; }

    /// <summary>Records the adjoint of a kick v ← v + c F(x)/m: w += c a_v/m (in acceleration units), applied at the next <see cref="Flush"/>.</summary>
    public void DeferKick(State state, double c)
    {
        var g = Gradient;
        var k = c * state.Units.ForceToAcceleration;
        var inverseMass = InverseMass(state);
        var n = state.Count;
        var i = 0;
        var keep = HasPending;
        if (Vector256.IsHardwareAccelerated)
        {
            var (kv, kept) = (Vector256.Create(k), Kept(keep));
            ref var im = ref Data(inverseMass);
            ref double gvx = ref Data(g.Vx), gvy = ref Data(g.Vy), gvz = ref Data(g.Vz);
            ref double wx = ref Data(PendingX), wy = ref Data(PendingY), wz = ref Data(PendingZ);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = kv * Load(ref im, i);
                Store((kept & Load(ref wx, i)) + a * Load(ref gvx, i), ref wx, i);
                Store((kept & Load(ref wy, i)) + a * Load(ref gvy, i), ref wy, i);
                Store((kept & Load(ref wz, i)) + a * Load(ref gvz, i), ref wz, i);
            }
        }
        for (; i < n; i++)
        {
            var a = k * inverseMass[i];
            PendingX[i] = (keep ? PendingX[i] : 0) + a * g.Vx[i];
            PendingY[i] = (keep ? PendingY[i] : 0) + a * g.Vy[i];
            PendingZ[i] = (keep ? PendingZ[i] : 0) + a * g.Vz[i];
        }
        HasPending = true;
    }

    /// <summary>
    /// The adjoint of a drift x ← x + h v (a_v ← a_v + h a_x) followed by <see cref="DeferKick"/>(<paramref name="state"/>,
    /// <paramref name="c"/>), in one pass: every integrator here opens its step with a kick and a drift.
    /// </summary>
    public void DriftAndDeferKick(State state, double h, double c) => DriftAndDeferKick(state, h, c, null);

    /// <summary>
    /// <see cref="DriftAndDeferKick(State, double, double)"/>, returning Σᵢ a_vᵢ·vᵢ after it with the velocities of
    /// <paramref name="velocities"/> (four particles a lane, the lanes added at the end): the adjoint of a velocity
    /// scaling that opened the step, read in the same pass.
    /// </summary>
    public double DriftAndDeferKick(State state, double h, double c, State? velocities)
    {
        var g = Gradient;
        var k = c * state.Units.ForceToAcceleration;
        var inverseMass = InverseMass(state);
        var n = state.Count;
        var i = 0;
        var keep = HasPending;
        var dot = 0.0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (kv, hv, kept) = (Vector256.Create(k), Vector256.Create(h), Kept(keep));
            var lanes = Vector256<double>.Zero;
            ref var im = ref Data(inverseMass);
            ref double gx = ref Data(g.X), gy = ref Data(g.Y), gz = ref Data(g.Z);
            ref double gvx = ref Data(g.Vx), gvy = ref Data(g.Vy), gvz = ref Data(g.Vz);
            ref double wx = ref Data(PendingX), wy = ref Data(PendingY), wz = ref Data(PendingZ);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = kv * Load(ref im, i);
                var vx = Load(ref gvx, i) + hv * Load(ref gx, i);
                var vy = Load(ref gvy, i) + hv * Load(ref gy, i);
                var vz = Load(ref gvz, i) + hv * Load(ref gz, i);
                Store(vx, ref gvx, i); Store(vy, ref gvy, i); Store(vz, ref gvz, i);
                Store((kept & Load(ref wx, i)) + a * vx, ref wx, i);
                Store((kept & Load(ref wy, i)) + a * vy, ref wy, i);
                Store((kept & Load(ref wz, i)) + a * vz, ref wz, i);
            }
            if (velocities is not null)
            {
                // Σ a_v·v in a second loop over the same few kilobytes: the vectors just stored are still in L1.
                ref double vx = ref Data(velocities.Vx), vy = ref Data(velocities.Vy), vz = ref Data(velocities.Vz);
                for (var j = 0; j < i; j += Vector256<double>.Count)
                    lanes += Load(ref gvx, j) * Load(ref vx, j) + Load(ref gvy, j) * Load(ref vy, j) + Load(ref gvz, j) * Load(ref vz, j);
            }
            dot = Vector256.Sum(lanes);
        }
        for (; i < n; i++)
        {
            var a = k * inverseMass[i];
            g.Vx[i] += h * g.X[i];
            g.Vy[i] += h * g.Y[i];
            g.Vz[i] += h * g.Z[i];
            PendingX[i] = (keep ? PendingX[i] : 0) + a * g.Vx[i];
            PendingY[i] = (keep ? PendingY[i] : 0) + a * g.Vy[i];
            PendingZ[i] = (keep ? PendingZ[i] : 0) + a * g.Vz[i];
            if (velocities is not null) dot += g.Vx[i] * velocities.Vx[i] + g.Vy[i] * velocities.Vy[i] + g.Vz[i] * velocities.Vz[i];
        }
        HasPending = true;
        return dot;
    }

    /// <summary>
    /// The adjoint of a velocity scaling v' = s v whose s is a function of the kinetic energy doubled, 2K, of
    /// <paramref name="velocities"/> (a_v ← s a_v + a_2K ∂(2K)/∂v, with a_2K = <paramref name="twoKeAdjoint"/>), followed
    /// by <see cref="DeferKick"/>(<paramref name="state"/>, <paramref name="c"/>), in one pass: a thermostat's scaling
    /// that closes a step, whose adjoint comes just before that of the step's closing kick.
    /// </summary>
    public void ScaleAndDeferKick(State state, State velocities, double scale, double twoKeAdjoint, double c)
    {
        var g = Gradient;
        var k = c * state.Units.ForceToAcceleration;
        var inverseMass = InverseMass(state);
        var units = state.Units.MvvToEnergy;
        var n = state.Count;
        var i = 0;
        var keep = HasPending;
        if (Vector256.IsHardwareAccelerated)
        {
            var (kv, twoA, unitsv, s, kept) = (Vector256.Create(k), Vector256.Create(twoKeAdjoint * 2), Vector256.Create(units), Vector256.Create(scale), Kept(keep));
            ref double im = ref Data(inverseMass), mass = ref Data(state.Mass);
            ref double ux = ref Data(velocities.Vx), uy = ref Data(velocities.Vy), uz = ref Data(velocities.Vz);
            ref double gvx = ref Data(g.Vx), gvy = ref Data(g.Vy), gvz = ref Data(g.Vz);
            ref double wx = ref Data(PendingX), wy = ref Data(PendingY), wz = ref Data(PendingZ);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = kv * Load(ref im, i);
                var m = twoA * Load(ref mass, i) * unitsv;
                var vx = s * Load(ref gvx, i) + m * Load(ref ux, i);
                var vy = s * Load(ref gvy, i) + m * Load(ref uy, i);
                var vz = s * Load(ref gvz, i) + m * Load(ref uz, i);
                Store(vx, ref gvx, i); Store(vy, ref gvy, i); Store(vz, ref gvz, i);
                Store((kept & Load(ref wx, i)) + a * vx, ref wx, i);
                Store((kept & Load(ref wy, i)) + a * vy, ref wy, i);
                Store((kept & Load(ref wz, i)) + a * vz, ref wz, i);
            }
        }
        for (; i < n; i++)
        {
            var a = k * inverseMass[i];
            var m = twoKeAdjoint * 2 * state.Mass[i] * units;
            g.Vx[i] = scale * g.Vx[i] + m * velocities.Vx[i];
            g.Vy[i] = scale * g.Vy[i] + m * velocities.Vy[i];
            g.Vz[i] = scale * g.Vz[i] + m * velocities.Vz[i];
            PendingX[i] = (keep ? PendingX[i] : 0) + a * g.Vx[i];
            PendingY[i] = (keep ? PendingY[i] : 0) + a * g.Vy[i];
            PendingZ[i] = (keep ? PendingZ[i] : 0) + a * g.Vz[i];
        }
        HasPending = true;
    }

    /// <summary>Applies the deferred kicks at the positions of <paramref name="state"/>.</summary>
    public void Flush(State state, IDifferentiableForceField field)
    {
        if (!HasPending) return;
        field.Backward(state, PendingX, PendingY, PendingZ, Gradient, Accumulator);
        // Not cleared: the next deferral overwrites what a flushed one left.
        HasPending = false;
    }

    public void Clear()
    {
        Gradient.Clear();
        Array.Clear(PendingX); Array.Clear(PendingY); Array.Clear(PendingZ);
        Array.Clear(Accumulator);
        HasPending = false;
    }

    /// <summary>The inverse masses: those of every state of the trajectory, taken once, not at every kick.</summary>
    private double[] InverseMass(State state)
    {
        if (_inverseMass.Length != state.Count)
        {
            _inverseMass = new double[state.Count];
            for (var p = 0; p < state.Count; p++) _inverseMass[p] = 1 / state.Mass[p];
        }
        return _inverseMass;
    }

    /// <summary>All bits set where the pending products are kept, none after a flush: those left then are not read, however stale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Kept(bool keep) => keep ? Vector256<double>.AllBitsSet : Vector256<double>.Zero;
}
