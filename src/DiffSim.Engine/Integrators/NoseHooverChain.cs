using DiffSim.Forces;
using DiffSim.Systems;

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

    public void Initialise(State state) => state.Thermostat = new double[2 * ChainLength];

    public ForceResult Step(State state, IForceField forces)
    {
        ChainHalfStep(state);
        VelocityVerlet.Kick(state, 0.5 * TimeStep);
        VelocityVerlet.Drift(state, TimeStep);
        var result = forces.Compute(state);
        VelocityVerlet.Kick(state, 0.5 * TimeStep);
        ChainHalfStep(state);
        state.Step++;
        return result;
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
    /// Propagates the chain and scales the particle velocities over Δt/2: the outer thermostats' velocities damp the
    /// inner ones (exp(−v_{k+1}Δt/8) on either side of each Δt/4 force update), then velocities scale by exp(−v_ξ₁Δt/2).
    /// </summary>
    private void ChainHalfStep(State state)
    {
        var m = ChainLength;
        var th = state.Thermostat;
        var kt = state.Units.Boltzmann * Temperature;
        var gkt = state.DegreesOfFreedom * kt;
        var dt2 = 0.5 * TimeStep;
        var dt4 = 0.25 * TimeStep;
        var dt8 = 0.125 * TimeStep;
        var twoKe = 2 * state.KineticEnergy();

        // Outer to inner.
        for (var k = m - 1; k >= 0; k--) Update(k);

        var scale = Math.Exp(-dt2 * th[m]);
        VelocityVerlet.Scale(state, scale);
        twoKe *= scale * scale;
        for (var k = 0; k < m; k++) th[k] += dt2 * th[m + k];

        // Inner to outer.
        for (var k = 0; k < m; k++) Update(k);

        void Update(int k)
        {
            var damp = k + 1 < m ? Math.Exp(-dt8 * th[m + k + 1]) : 1.0;
            var force = k == 0
                ? (twoKe - gkt) / Mass(state, 0)
                : (Mass(state, k - 1) * th[m + k - 1] * th[m + k - 1] - kt) / Mass(state, k);
            th[m + k] = (th[m + k] * damp + dt4 * force) * damp;
        }
    }
}
