using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffSim.Systems;

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
        if (Vector256.IsHardwareAccelerated)
        {
            var kv = Vector256.Create(k);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = kv * Load(inverseMass, i);
                Store(Load(PendingX, i) + a * Load(g.Vx, i), PendingX, i);
                Store(Load(PendingY, i) + a * Load(g.Vy, i), PendingY, i);
                Store(Load(PendingZ, i) + a * Load(g.Vz, i), PendingZ, i);
            }
        }
        for (; i < n; i++)
        {
            var a = k * inverseMass[i];
            PendingX[i] += a * g.Vx[i];
            PendingY[i] += a * g.Vy[i];
            PendingZ[i] += a * g.Vz[i];
        }
        HasPending = true;
    }

    /// <summary>
    /// The adjoint of a drift x ← x + h v (a_v ← a_v + h a_x) followed by <see cref="DeferKick"/>(<paramref name="state"/>,
    /// <paramref name="c"/>), in one pass: every integrator here opens its step with a kick and a drift.
    /// </summary>
    public void DriftAndDeferKick(State state, double h, double c)
    {
        var g = Gradient;
        var k = c * state.Units.ForceToAcceleration;
        var inverseMass = InverseMass(state);
        var n = state.Count;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (kv, hv) = (Vector256.Create(k), Vector256.Create(h));
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = kv * Load(inverseMass, i);
                var vx = Load(g.Vx, i) + hv * Load(g.X, i);
                var vy = Load(g.Vy, i) + hv * Load(g.Y, i);
                var vz = Load(g.Vz, i) + hv * Load(g.Z, i);
                Store(vx, g.Vx, i); Store(vy, g.Vy, i); Store(vz, g.Vz, i);
                Store(Load(PendingX, i) + a * vx, PendingX, i);
                Store(Load(PendingY, i) + a * vy, PendingY, i);
                Store(Load(PendingZ, i) + a * vz, PendingZ, i);
            }
        }
        for (; i < n; i++)
        {
            var a = k * inverseMass[i];
            g.Vx[i] += h * g.X[i];
            g.Vy[i] += h * g.Y[i];
            g.Vz[i] += h * g.Z[i];
            PendingX[i] += a * g.Vx[i];
            PendingY[i] += a * g.Vy[i];
            PendingZ[i] += a * g.Vz[i];
        }
        HasPending = true;
    }

    /// <summary>Applies the deferred kicks at the positions of <paramref name="state"/>.</summary>
    public void Flush(State state, IDifferentiableForceField field)
    {
        if (!HasPending) return;
        field.Backward(state, PendingX, PendingY, PendingZ, Gradient, Accumulator);
        Array.Clear(PendingX); Array.Clear(PendingY); Array.Clear(PendingZ);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Load(double[] a, int i) => Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<double> v, double[] a, int i) => v.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)i);
}
