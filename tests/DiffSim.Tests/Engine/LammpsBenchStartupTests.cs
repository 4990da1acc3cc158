using DiffSim.Forces;
using DiffSim.Integrators;

namespace DiffSim.Tests.Engine;

/// <summary>LAMMPS bench/in.lj at step 0 (../shared/reference/README.md): 32,000 atoms, fcc ρ = 0.8442, LJ cut 2.5 unshifted, T = 1.44.</summary>
public class LammpsBenchStartupTests
{
    [Theory]
    [InlineData(Precision.Double, KernelPath.Vector256, 1e-7)]
    [InlineData(Precision.Double, KernelPath.Scalar, 1e-7)]
    [InlineData(Precision.Float, KernelPath.Vector256, 2e-5)]
    public void Step0EnergyAndPressureMatchLammps(Precision precision, KernelPath path, double tolerance)
    {
        var state = TestSystems.LjFcc(20, 0.8442, 1.44);
        Assert.Equal(32000, state.Count);
        var sim = new Simulation(state, TestSystems.Lj(precision: precision, path: path, threads: 2), new VelocityVerlet(0.005));
        var thermo = sim.Thermo();
        Assert.Equal(1.44, thermo.Temperature, 12);
        Assert.Equal(-6.7733681, thermo.PotentialEnergy, tolerance * 6.78);
        Assert.Equal(-5.0197, thermo.Pressure, 5e-4);
    }
}
