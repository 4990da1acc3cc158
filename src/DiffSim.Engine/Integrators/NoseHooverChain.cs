using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Numerics;
using DiffSim.Systems;
using static DiffSim.Integrators.VelocityVerlet;
using static DiffSim.Numerics.DoubleLanes;

namespace DiffSim.Integrators;

/// <summary>
/// Nosé–Hoover chain NVT (Martyna, Klein and Tuckerman, J. Chem. Phys. 97, 2635 (1992)), integrated with the
/// symmetric Trotter splitting of Martyna, Tuckerman, Tobias and Klein, Mol. Phys. 87, 1117 (1996):
/// a half-step of the chain, velocity Verlet, a half-step of the chain. Masses as LAMMPS <c>fix nvt</c> sets them:
/// Q₁ = g k_B T τ², Q_k = k_B T τ² (k &gt; 1), with τ the damping time and g the degrees of freedom.
/// </summary>
/// <remarks>
/// <see cref="State.Thermostat"/> holds ξ₁..ξ_M then v_ξ₁..v_ξ_M. The conserved quantity is
/// H = K + U + Σ ½ Q_k v_ξk² + g k_B T ξ₁ + k_B T Σ_{k≥2} ξ_k.
/// </remarks>
public sealed class NoseHooverChain : IIntegrator
{
    /// <param name="timeStep">Δt, in the state's time unit (τ under lj units, fs under real).</param>
    /// <param name="temperature">Target temperature (ε/k_B under lj, K under real).</param>
    /// <param name="dampingTime">τ of the thermostat masses, in time units (LAMMPS' Tdamp; some 100 Δt).</param>
    /// <param name="chainLength">Thermostats in the chain (LAMMPS' tchain, 3).</param>
    public NoseHooverChain(double timeStep, double temperature, double dampingTime, int chainLength = 3)
    {
        if (!(timeStep > 0)) throw new ArgumentException($"time step must be positive, got {timeStep}");
        if (!(temperature > 0)) throw new ArgumentException($"Nosé–Hoover needs a positive temperature, got {temperature}");
        if (!(dampingTime > 0)) throw new ArgumentException($"tdamp must be positive, got {dampingTime} (LAMMPS' usual choice is 100 time steps)");
        if (chainLength < 1) throw new ArgumentException($"chain length must be at least 1, got {chainLength}");
        TimeStep = timeStep;
        Temperature = temperature;
        DampingTime = dampingTime;
        ChainLength = chainLength;
    }

    public double TimeStep { get; }
    public double Temperature { get; }
    public double DampingTime { get; }
    public int ChainLength { get; }

    public void Initialise(State state)
    {
        if (state.Thermostat.Length != 2 * ChainLength) state.Thermostat = new double[2 * ChainLength];
    }

    public void BeforeForces(State state)
    {
        var scale = ChainHalfStep(state, 2 * state.KineticEnergy());
        VelocityVerlet.ScaleKickDrift(state, state, scale, 0.5 * TimeStep, TimeStep);
    }

    public bool StepForces(State from, State to, IForceField forces)
    {
        VelocityVerlet.CopyUnstepped(from, to);
        var scale = ChainHalfStep(to, 2 * from.KineticEnergy());
        VelocityVerlet.ScaleKickDrift(from, to, scale, 0.5 * TimeStep, TimeStep);
        var finite = forces.ComputeForces(to);
        AfterForces(to);
        return finite;
    }

    public void AfterForces(State state)
    {
        var twoKe = 2 * VelocityVerlet.KickKineticEnergy(state, 0.5 * TimeStep);
        VelocityVerlet.Scale(state, ChainHalfStep(state, twoKe));
        state.Step++;
    }

    public double ThermostatEnergy(State state)
    {
        var m = ChainLength;
        var kt = state.Units.Boltzmann * Temperature;
        var xi = state.Thermostat.AsSpan(0, m);
        var v = state.Thermostat.AsSpan(m, m);
        var energy = state.DegreesOfFreedom * kt * xi[0];
        for (var k = 1; k < m; k++) energy += kt * xi[k];
        for (var k = 0; k < m; k++) energy += 0.5 * Mass(state, k) * v[k] * v[k];
        return energy;
    }

    /// <summary>Thermostat mass Q_k (energy × time²).</summary>
    public double Mass(State state, int k)
    {
        var kt = state.Units.Boltzmann * Temperature;
        var q = kt * DampingTime * DampingTime;
        return k == 0 ? state.DegreesOfFreedom * q : q;
    }

    /// <summary>
    /// Propagates the chain over Δt/2 from the kinetic energy doubled, <paramref name="twoKe"/>, and returns the scale
    /// of the particle velocities, exp(−v_ξ₁Δt/2): the outer thermostats' velocities damp the inner ones
    /// (exp(−v_{k+1}Δt/8) on either side of each Δt/4 force update).
    /// </summary>
    private double ChainHalfStep(State state, double twoKe)
    {
        var th = state.Thermostat;
        Span<Real> z = stackalloc Real[th.Length];
        for (var k = 0; k < th.Length; k++) z[k] = new Real(th[k]);
        var scale = ChainMap(state, new Real(twoKe), z).Value;
        for (var k = 0; k < th.Length; k++) th[k] = z[k].Value;
        return scale;
    }

    /// <summary>
    /// The chain's half-step as a map of scalars: (2K, ξ, v_ξ) → (velocity scale s, ξ', v_ξ'), with 2K the kinetic
    /// energy doubled. Generic so that dual numbers give its exact Jacobian for <see cref="AdjointStep"/>.
    /// </summary>
    private T ChainMap<T>(State state, T twoKe, Span<T> th) where T : unmanaged, IChainScalar<T>
    {
        var m = ChainLength;
        var kt = state.Units.Boltzmann * Temperature;
        var forces = new ChainForces<T>(T.From(state.DegreesOfFreedom * kt), T.From(kt), T.From(Mass(state, 0)), T.From(Mass(state, 1)));
        var dt2 = T.From(0.5 * TimeStep);

        // The second sweep damps v_ξk by the v_ξ(k+1) of the first (it updates v_ξ(k+1) after v_ξk): the same exponentials.
        Span<T> damp = stackalloc T[m];
        for (var k = m - 1; k >= 0; k--)
        {
            damp[k] = k + 1 < m ? T.Exp(T.From(-0.125 * TimeStep) * th[m + k + 1]) : T.From(1);
            UpdateChainVelocity(th, k, twoKe, forces, damp[k]);
        }

        var scale = T.Exp(T.From(0) - dt2 * th[m]);
        twoKe = twoKe * scale * scale;
        for (var k = 0; k < m; k++) th[k] = th[k] + dt2 * th[m + k];

        for (var k = 0; k < m; k++) UpdateChainVelocity(th, k, twoKe, forces, damp[k]);
        return scale;
    }

    /// <summary>The constants of the chain's forces: g k_B T, k_B T, Q₁ and Q_k (k &gt; 1), taken once a half-step.</summary>
    private readonly record struct ChainForces<T>(T Gkt, T Kt, T FirstMass, T Mass) where T : unmanaged, IChainScalar<T>;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void UpdateChainVelocity<T>(Span<T> th, int k, T twoKe, in ChainForces<T> c, T damp) where T : unmanaged, IChainScalar<T>
    {
        var m = ChainLength;
        var force = k == 0
            ? (twoKe - c.Gkt) / c.FirstMass
            : ((k == 1 ? c.FirstMass : c.Mass) * th[m + k - 1] * th[m + k - 1] - c.Kt) / c.Mass;
        th[m + k] = (th[m + k] * damp + T.From(0.25 * TimeStep) * force) * damp;
    }

    public void AdjointStep(State before, State after, AdjointState adjoint, IDifferentiableForceField field)
    {
        var g = adjoint.Gradient;
        var dim = 2 * ChainLength;
        if (g.Thermostat.Length != dim) g.Thermostat = new double[dim];

        // Both half-steps' Jacobians are taken from `before`, the first's values being the step's intermediates: the
        // velocity scale s₁ and the thermostat variables between the half-steps.
        var inputs = dim + 1;
        Span<double> first = stackalloc double[inputs * inputs];
        Span<double> second = stackalloc double[inputs * inputs];
        Span<double> thMid = stackalloc double[dim];
        Span<double> thEnd = stackalloc double[dim];
        var twoKe = 2 * before.KineticEnergy();
        var s1 = ChainJacobian(before, twoKe, before.Thermostat, thMid, first);
        var v2 = Scratch(before);
        var (twoKe2, aScale2) = VelocitiesBeforeSecondHalfStep(before, after, s1, v2, g);
        var s2 = ChainJacobian(before, twoKe2, thMid, thEnd, second);

        adjoint.ScaleAndDeferKick(after, v2, s2, ThermostatAdjoint(aScale2, second, g), 0.5 * TimeStep);
        adjoint.Flush(after, field);
        var aScale1 = adjoint.DriftAndDeferKick(before, TimeStep, 0.5 * TimeStep, before);
        ScaleAdjoint(before, s1, ThermostatAdjoint(aScale1, first, g), g);
    }

    /// <summary>
    /// The Jacobian of <see cref="ChainMap"/> at (<paramref name="twoKe"/>, <paramref name="thermostat"/>), row-major
    /// with rows (s, ξ', v_ξ') and columns (2K, ξ, v_ξ), by forward mode with eight columns a pass (one pass for chains
    /// of up to three thermostats); returns s and writes (ξ', v_ξ') to <paramref name="thermostatAfter"/>.
    /// </summary>
    private double ChainJacobian(State state, double twoKe, ReadOnlySpan<double> thermostat, Span<double> thermostatAfter, Span<double> jacobian)
    {
        var dim = thermostat.Length;
        var inputs = dim + 1;
        Span<Dual8> z = stackalloc Dual8[dim];
        double scale = 1;
        for (var block = 0; block < inputs; block += Dual8.Width)
        {
            for (var k = 0; k < dim; k++) z[k] = Dual8.Seed(thermostat[k], k + 1 - block);
            var s = ChainMap(state, Dual8.Seed(twoKe, -block), z);
            scale = s.Value;
            var columns = Math.Min(inputs - block, Dual8.Width);
            CopyDerivatives(s, jacobian.Slice(block, columns));
            for (var k = 0; k < dim; k++) CopyDerivatives(z[k], jacobian.Slice((k + 1) * inputs + block, columns));
        }
        for (var k = 0; k < dim; k++) thermostatAfter[k] = z[k].Value;
        return scale;
    }

    /// <summary>The first derivative components of <paramref name="d"/> into <paramref name="row"/>, the vectors stored whole (not a lane at a time).</summary>
    private static void CopyDerivatives(in Dual8 d, Span<double> row)
    {
        Span<double> all = stackalloc double[Dual8.Width];
        d.Low.CopyTo(all);
        d.High.CopyTo(all[Vector256<double>.Count..]);
        for (var j = 0; j < row.Length; j++) row[j] = all[j];
    }

    /// <summary>
    /// v₂ = s₁v + ½Δt(F + F')/m, the velocities before the second chain half-step, written to <paramref name="v2"/>,
    /// with their kinetic energy doubled and Σ a_v·v₂ (summed as <see cref="State.KineticEnergy"/> and <see cref="AdjointState.DriftAndDeferKick(State, double, double, State?)"/> sum).
    /// </summary>
    private (double TwoKe, double ScaleAdjoint) VelocitiesBeforeSecondHalfStep(State before, State after, double s1, State v2, PhaseSpaceGradient g)
    {
        var acc = 0.5 * TimeStep * before.Units.ForceToAcceleration;
        var n = before.Count;
        var i = 0;
        var (ke, dot) = (0.0, 0.0);
        if (Vector256.IsHardwareAccelerated)
        {
            var (accv, s) = (Vector256.Create(acc), Vector256.Create(s1));
            var (keLanes, dotLanes) = (Vector256<double>.Zero, Vector256<double>.Zero);
            ref var mass = ref Data(before.Mass);
            ref double ux = ref Data(before.Vx), uy = ref Data(before.Vy), uz = ref Data(before.Vz);
            ref double fx = ref Data(before.Fx), fy = ref Data(before.Fy), fz = ref Data(before.Fz);
            ref double gx = ref Data(after.Fx), gy = ref Data(after.Fy), gz = ref Data(after.Fz);
            ref double v2x = ref Data(v2.Vx), v2y = ref Data(v2.Vy), v2z = ref Data(v2.Vz);
            ref double ax = ref Data(g.Vx), ay = ref Data(g.Vy), az = ref Data(g.Vz);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var m = Load(ref mass, i);
                var a = accv / m;
                var vx = Load(ref ux, i) * s + a * (Load(ref fx, i) + Load(ref gx, i));
                var vy = Load(ref uy, i) * s + a * (Load(ref fy, i) + Load(ref gy, i));
                var vz = Load(ref uz, i) * s + a * (Load(ref fz, i) + Load(ref gz, i));
                Store(vx, ref v2x, i); Store(vy, ref v2y, i); Store(vz, ref v2z, i);
                keLanes += m * (vx * vx + vy * vy + vz * vz);
                dotLanes += Load(ref ax, i) * vx + Load(ref ay, i) * vy + Load(ref az, i) * vz;
            }
            (ke, dot) = (Vector256.Sum(keLanes), Vector256.Sum(dotLanes));
        }
        for (; i < n; i++)
        {
            var a = acc / before.Mass[i];
            var vx = v2.Vx[i] = before.Vx[i] * s1 + a * (before.Fx[i] + after.Fx[i]);
            var vy = v2.Vy[i] = before.Vy[i] * s1 + a * (before.Fy[i] + after.Fy[i]);
            var vz = v2.Vz[i] = before.Vz[i] * s1 + a * (before.Fz[i] + after.Fz[i]);
            ke += before.Mass[i] * (vx * vx + vy * vy + vz * vz);
            dot += g.Vx[i] * vx + g.Vy[i] * vy + g.Vz[i] * vz;
        }
        return (2 * (0.5 * ke * before.Units.MvvToEnergy), dot);
    }

    /// <summary>
    /// Adjoint of one chain half-step's scalars, with velocity scale s and Jacobian <paramref name="jacobian"/>
    /// (<see cref="ChainJacobian"/>): with v' = s v and s, ξ', v_ξ' functions of (2K, ξ, v_ξ), a_s = Σ a_v'·v
    /// (<paramref name="scaleAdjoint"/>) and (a_2K, a_ξ, a_vξ) = Jᵀ (a_s, a_ξ', a_vξ'). Writes a_ξ, a_vξ and returns a_2K;
    /// the velocities' part, a_v = s a_v' + a_2K ∂(2K)/∂v, is <see cref="ScaleAdjoint"/> or <see cref="AdjointState.ScaleAndDeferKick"/>.
    /// </summary>
    private static double ThermostatAdjoint(double scaleAdjoint, ReadOnlySpan<double> jacobian, PhaseSpaceGradient g)
    {
        var thermostat = g.Thermostat.AsSpan();
        var dim = thermostat.Length;
        var inputs = dim + 1;
        Span<double> aInputs = stackalloc double[inputs];
        for (var input = 0; input < inputs; input++)
        {
            var column = scaleAdjoint * jacobian[input];
            for (var k = 0; k < dim; k++) column += thermostat[k] * jacobian[(k + 1) * inputs + input];
            aInputs[input] = column;
        }
        for (var k = 0; k < dim; k++) thermostat[k] = aInputs[k + 1];
        return aInputs[0];
    }

    /// <summary>a_v ← s a_v + a_2K ∂(2K)/∂v, at the velocities of <paramref name="state"/>.</summary>
    private static void ScaleAdjoint(State state, double scale, double twoKeAdjoint, PhaseSpaceGradient g)
    {
        var n = state.Count;
        var units = state.Units.MvvToEnergy;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (twoA, unitsv, s) = (Vector256.Create(twoKeAdjoint * 2), Vector256.Create(units), Vector256.Create(scale));
            ref var mass = ref Data(state.Mass);
            ref double vx = ref Data(state.Vx), vy = ref Data(state.Vy), vz = ref Data(state.Vz);
            ref double ax = ref Data(g.Vx), ay = ref Data(g.Vy), az = ref Data(g.Vz);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var c = twoA * Load(ref mass, i) * unitsv;
                Store(s * Load(ref ax, i) + c * Load(ref vx, i), ref ax, i);
                Store(s * Load(ref ay, i) + c * Load(ref vy, i), ref ay, i);
                Store(s * Load(ref az, i) + c * Load(ref vz, i), ref az, i);
            }
        }
        for (; i < n; i++)
        {
            var c = twoKeAdjoint * 2 * state.Mass[i] * units;
            g.Vx[i] = scale * g.Vx[i] + c * state.Vx[i];
            g.Vy[i] = scale * g.Vy[i] + c * state.Vy[i];
            g.Vz[i] = scale * g.Vz[i] + c * state.Vz[i];
        }
    }

    private State? _scratch;

    /// <summary>A state of <paramref name="template"/>'s particles whose velocities the reverse pass may overwrite.</summary>
    private State Scratch(State template)
    {
        if (_scratch is null || _scratch.Count != template.Count) _scratch = template.Clone();
        return _scratch;
    }
}
