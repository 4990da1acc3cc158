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

        AssertSameForces(KernelPathTests.Mixture(), KernelPathTests.MixtureTable(), path, precision);
    }

    [Theory]
    [InlineData("nve")]
    [InlineData("nvt")]
    [InlineData("langevin")]
    public void RunWithoutEnergyFollowsTheSameTrajectory(string integrator)
    {
        var a = TestSystems.LjFcc(4, 0.8442, 1.2, seed: 2);
        var b = a.Clone();
        var withEnergy = new Simulation(a, TestSystems.Lj(shift: true, precision: Precision.Float), Integrator(integrator));
        var forcesAlone = new Simulation(b, TestSystems.Lj(shift: true, precision: Precision.Float), Integrator(integrator));
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

    [Theory]
    [InlineData("nve")]
    [InlineData("nvt")]
    [InlineData("langevin")]
    public void SteppingIntoAnotherStateFollowsTheSameTrajectory(string integrator)
    {
        var inPlace = TestSystems.LjFcc(4, 0.8442, 1.2, seed: 2);
        var (stepper, forces) = (Integrator(integrator), TestSystems.Lj(shift: true));
        stepper.Initialise(inPlace);
        Assert.True(forces.ComputeForces(inPlace));
        var (from, to) = (inPlace.Clone(), inPlace.Clone());
        var (outOfPlace, otherForces) = (Integrator(integrator), TestSystems.Lj(shift: true));
        // The same list builds at the same positions, so the same pair order and the same rounding of the forces.
        Assert.True(otherForces.ComputeForces(from));
        for (var s = 0; s < 30; s++)
        {
            Assert.True(stepper.StepForces(inPlace, forces));
            var start = from.Clone();
            Assert.True(outOfPlace.StepForces(from, to, otherForces));
            Assert.Equal(start.X, from.X);
            Assert.Equal(start.Vx, from.Vx);
            Assert.Equal(start.Thermostat, from.Thermostat);
            (from, to) = (to, from);
        }
        Assert.Equal(inPlace.Step, from.Step);
        Assert.Equal(inPlace.X, from.X);
        Assert.Equal(inPlace.Vz, from.Vz);
        Assert.Equal(inPlace.Fy, from.Fy);
        Assert.Equal(inPlace.Thermostat, from.Thermostat);
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

    /// <summary>
    /// A hand-written potential (no lane constants) runs through its plain Evaluate: the interface's default prepared
    /// members would box the struct, allocating on every vector.
    /// </summary>
    [Theory]
    [MemberData(nameof(KernelPathTests.Paths), MemberType = typeof(KernelPathTests))]
    public void HandWrittenPotentialEvaluatesWithoutAllocating(KernelPath path, Precision precision)
    {
        var state = TestSystems.LjFcc(5, 0.8442, 1.0);
        var table = PairTable<Adjoint.SmoothSoftSphere>.Single(new Adjoint.SmoothSoftSphere(1.0, 1.0), Adjoint.SmoothSoftSphere.Cutoff, shift: false);
        var forces = new PairForceField<Adjoint.SmoothSoftSphere>(table, 0.3, precision, path);
        // Past the tiering threshold (30 calls) first: the call that schedules a method's recompilation may allocate
        // the work item on this thread, which is the runtime's, not the kernel's.
        for (var k = 0; k < 40; k++)
        {
            forces.Compute(state);
            forces.ComputeForces(state);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        forces.Compute(state);
        forces.ComputeForces(state);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A fresh integrator of the kind the trajectory tests name, the same settings for both of a pair's runs.</summary>
    private static IIntegrator Integrator(string kind) => kind switch
    {
        "nve" => new VelocityVerlet(0.005),
        "nvt" => new NoseHooverChain(0.005, 1.2, 0.2),
        _ => new Langevin(0.005, 1.2, 0.5, seed: 9),
    };

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
