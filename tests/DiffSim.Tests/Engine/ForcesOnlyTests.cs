using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>Steps without energy: the forces-only kernels give the full kernels' forces bit for bit, so trajectories do not change.</summary>
public class ForcesOnlyTests
{
    [Theory]
    [MemberData(nameof(KernelPathTests.Paths), MemberType = typeof(KernelPathTests))]
    public void ForcesAloneEqualTheFullEvaluationBitwise(KernelPath path, Precision precision)
    {
        var crystal = TestSystems.LjFcc(5, 0.8442, 1.0);
        TestSystems.Jiggle(crystal, 0.15, seed: 3);
        AssertSameForces(crystal, PairTable<LennardJones>.Single(new LennardJones(1.0, 1.0), 2.5, shift: true), path, precision);

        var mixture = KernelPathTests.Mixture();
        var table = new PairTable<LennardJones>(2);
        table.Set(0, 0, new LennardJones(1.0, 1.0), 2.5, shift: true);
        table.Set(0, 1, new LennardJones(1.5, 0.8), 2.0, shift: false);
        table.Set(1, 1, new LennardJones(0.5, 0.88), 2.2, shift: true);
        AssertSameForces(mixture, table, path, precision);
    }

    [Theory]
    [InlineData("nve")]
    [InlineData("nvt")]
    [InlineData("langevin")]
    public void RunWithoutEnergyFollowsTheSameTrajectory(string integrator)
    {
        IIntegrator Make() => integrator switch
        {
            "nve" => new VelocityVerlet(0.005),
            "nvt" => new NoseHooverChain(0.005, 1.2, 0.2),
            _ => new Langevin(0.005, 1.2, 0.5, seed: 9),
        };
        var a = TestSystems.LjFcc(4, 0.8442, 1.2, seed: 2);
        var b = a.Clone();
        var withEnergy = new Simulation(a, TestSystems.Lj(shift: true, precision: Precision.Float), Make());
        var forcesAlone = new Simulation(b, TestSystems.Lj(shift: true, precision: Precision.Float), Make());
        for (var s = 0; s < 60; s++) withEnergy.Step();
        forcesAlone.Run(60);
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Vx, b.Vx);
        Assert.Equal(a.Fz, b.Fz);
        Assert.Equal(a.Thermostat, b.Thermostat);
        // Read after steps without energy, the energy is computed from the same positions.
        Assert.Equal(withEnergy.Last, forcesAlone.Last);
        Assert.Equal(withEnergy.Thermo(), forcesAlone.Thermo());
    }

    [Fact]
    public void NonFiniteForcesStopAStepWithoutEnergy()
    {
        var state = TestSystems.LjFcc(4, 0.8442, 1.0);
        var forces = TestSystems.Lj(shift: true);
        var sim = new Simulation(state, forces, new VelocityVerlet(0.005));
        Assert.True(forces.ComputeForces(state));
        // Two particles on top of each other: r = 0.
        state.X[1] = state.X[0]; state.Y[1] = state.Y[0]; state.Z[1] = state.Z[0];
        Assert.False(forces.ComputeForces(state));
        var error = Assert.Throws<SimulationDivergedException>(() => sim.Step(energy: false));
        Assert.Contains("force", error.Message);
    }

    private static void AssertSameForces(State state, PairTable<LennardJones> table, KernelPath path, Precision precision)
    {
        var full = state.Clone();
        var alone = state.Clone();
        var result = new PairForceField<LennardJones>(table, 0.3, precision, path).Compute(full);
        Assert.True(new PairForceField<LennardJones>(table, 0.3, precision, path).ComputeForces(alone));
        Assert.NotEqual(0, result.Energy);
        Assert.Equal(full.Fx, alone.Fx);
        Assert.Equal(full.Fy, alone.Fy);
        Assert.Equal(full.Fz, alone.Fz);
    }
}
