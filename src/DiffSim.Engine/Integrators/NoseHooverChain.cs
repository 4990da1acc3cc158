using System.Runtime.Intrinsics;
using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Numerics;
using DiffSim.Systems;
using static DiffSim.Integrators.VelocityVerlet;

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
        VelocityVerlet.ScaleKickDrift(state, scale, 0.5 * TimeStep, TimeStep);
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
    private T ChainMap<T>(State state, T twoKe, Span<T> th) where T : struct, IChainScalar<T>
    {
        var m = ChainLength;
        var kt = state.Units.Boltzmann * Temperature;
        var gkt = T.From(state.DegreesOfFreedom * kt);
        var dt2 = T.From(0.5 * TimeStep);

        for (var k = m - 1; k >= 0; k--) UpdateChainVelocity(state, th, k, twoKe, gkt, kt);

        var scale = T.Exp(T.From(0) - dt2 * th[m]);
        twoKe = twoKe * scale * scale;
        for (var k = 0; k < m; k++) th[k] = th[k] + dt2 * th[m + k];

        for (var k = 0; k < m; k++) UpdateChainVelocity(state, th, k, twoKe, gkt, kt);
        return scale;
    }

    private void UpdateChainVelocity<T>(State state, Span<T> th, int k, T twoKe, T gkt, double kt) where T : struct, IChainScalar<T>
    {
        var m = ChainLength;
        var damp = k + 1 < m ? T.Exp(T.From(-0.125 * TimeStep) * th[m + k + 1]) : T.From(1);
        var force = k == 0
            ? (twoKe - gkt) / T.From(Mass(state, 0))
            : (T.From(Mass(state, k - 1)) * th[m + k - 1] * th[m + k - 1] - T.From(kt)) / T.From(Mass(state, k));
        th[m + k] = (th[m + k] * damp + T.From(0.25 * TimeStep) * force) * damp;
    }

    public void AdjointStep(State before, State after, AdjointState adjoint, IDifferentiableForceField field)
    {
        var g = adjoint.Gradient;
        if (g.Thermostat.Length != 2 * ChainLength) g.Thermostat = new double[2 * ChainLength];

        // Rebuild the step's intermediates from `before`: v₁ = s₁v after the first chain half-step, v₂ before the second.
        var mid = Intermediate(before);
        var thMid = mid.Thermostat;
        var v2 = Scratch(before.Count);
        var acc = 0.5 * TimeStep * before.Units.ForceToAcceleration;
        var n = before.Count;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var accv = Vector256.Create(acc);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var a = accv / Load(before.Mass, i);
                Store(Load(mid.Vx, i) + a * (Load(before.Fx, i) + Load(after.Fx, i)), v2.Vx, i);
                Store(Load(mid.Vy, i) + a * (Load(before.Fy, i) + Load(after.Fy, i)), v2.Vy, i);
                Store(Load(mid.Vz, i) + a * (Load(before.Fz, i) + Load(after.Fz, i)), v2.Vz, i);
            }
        }
        for (; i < n; i++)
        {
            var a = acc / before.Mass[i];
            v2.Vx[i] = mid.Vx[i] + a * (before.Fx[i] + after.Fx[i]);
            v2.Vy[i] = mid.Vy[i] + a * (before.Fy[i] + after.Fy[i]);
            v2.Vz[i] = mid.Vz[i] + a * (before.Fz[i] + after.Fz[i]);
        }

        ChainAdjoint(before, v2, thMid, g);
        adjoint.DeferKick(after, 0.5 * TimeStep);
        adjoint.Flush(after, field);
        VelocityVerlet.DriftAdjoint(g, TimeStep);
        adjoint.DeferKick(before, 0.5 * TimeStep);
        ChainAdjoint(before, before, before.Thermostat, g);
    }

    /// <summary>
    /// Adjoint of one chain half-step whose inputs were the velocities of <paramref name="velocities"/> and the
    /// thermostat variables <paramref name="thermostat"/>. With v' = s v and s, ξ', v_ξ' functions of (2K, ξ, v_ξ):
    /// a_s = Σ a_v'·v, (a_2K, a_ξ, a_vξ) = Jᵀ (a_s, a_ξ', a_vξ'), and a_v = s a_v' + a_2K ∂(2K)/∂v.
    /// </summary>
    private void ChainAdjoint(State state, State velocities, double[] thermostat, PhaseSpaceGradient g)
    {
        var n = state.Count;
        var dim = thermostat.Length;
        var twoKe = 2 * velocities.KineticEnergy();
        var aScale = Dot(g, velocities);

        // One forward-mode pass per input (2K, then each thermostat variable) gives a column of the Jacobian.
        Span<double> aInputs = stackalloc double[dim + 1];
        Span<Dual> z = stackalloc Dual[dim];
        double scale = 1;
        for (var input = 0; input <= dim; input++)
        {
            for (var k = 0; k < dim; k++) z[k] = new Dual(thermostat[k], input == k + 1 ? 1 : 0);
            var s = ChainMap(state, new Dual(twoKe, input == 0 ? 1 : 0), z);
            scale = s.Value;
            var column = aScale * s.Derivative;
            for (var k = 0; k < dim; k++) column += g.Thermostat[k] * z[k].Derivative;
            aInputs[input] = column;
        }

        var units = state.Units.MvvToEnergy;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (twoA, unitsv, s) = (Vector256.Create(aInputs[0] * 2), Vector256.Create(units), Vector256.Create(scale));
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var c = twoA * Load(state.Mass, i) * unitsv;
                Store(s * Load(g.Vx, i) + c * Load(velocities.Vx, i), g.Vx, i);
                Store(s * Load(g.Vy, i) + c * Load(velocities.Vy, i), g.Vy, i);
                Store(s * Load(g.Vz, i) + c * Load(velocities.Vz, i), g.Vz, i);
            }
        }
        for (; i < n; i++)
        {
            var c = aInputs[0] * 2 * state.Mass[i] * units;
            g.Vx[i] = scale * g.Vx[i] + c * velocities.Vx[i];
            g.Vy[i] = scale * g.Vy[i] + c * velocities.Vy[i];
            g.Vz[i] = scale * g.Vz[i] + c * velocities.Vz[i];
        }
        for (var k = 0; k < dim; k++) g.Thermostat[k] = aInputs[k + 1];
    }

    /// <summary>Σᵢ a_vᵢ·vᵢ, four particles at a time.</summary>
    private static double Dot(PhaseSpaceGradient g, State velocities)
    {
        var n = velocities.Count;
        var i = 0;
        var sum = 0.0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lanes = Vector256<double>.Zero;
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
                lanes += Load(g.Vx, i) * Load(velocities.Vx, i) + Load(g.Vy, i) * Load(velocities.Vy, i) + Load(g.Vz, i) * Load(velocities.Vz, i);
            sum = Vector256.Sum(lanes);
        }
        for (; i < n; i++) sum += g.Vx[i] * velocities.Vx[i] + g.Vy[i] * velocities.Vy[i] + g.Vz[i] * velocities.Vz[i];
        return sum;
    }

    private State? _intermediate, _scratch;

    /// <summary>The state after the first chain half-step of a step starting at <paramref name="before"/>.</summary>
    private State Intermediate(State before)
    {
        if (_intermediate is null || _intermediate.Count != before.Count) _intermediate = before.Clone();
        // The chain half-step reads and writes only the velocities and the thermostat variables.
        before.Vx.CopyTo(_intermediate.Vx); before.Vy.CopyTo(_intermediate.Vy); before.Vz.CopyTo(_intermediate.Vz);
        if (_intermediate.Thermostat.Length != before.Thermostat.Length) _intermediate.Thermostat = new double[before.Thermostat.Length];
        before.Thermostat.CopyTo(_intermediate.Thermostat, 0);
        VelocityVerlet.Scale(_intermediate, ChainHalfStep(_intermediate, 2 * _intermediate.KineticEnergy()));
        return _intermediate;
    }

    private State Scratch(int count)
    {
        if (_scratch is null || _scratch.Count != count) _scratch = _intermediate!.Clone();
        return _scratch;
    }
}
