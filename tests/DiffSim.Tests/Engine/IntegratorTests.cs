using DiffSim.Integrators;

using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

public class IntegratorTests
{
    /// <summary>RMS fluctuation of the conserved energy per atom over an NVE run (Allen–Tildesley's md_nve_lj state point).</summary>
    private static double ConservedFluctuation(double dt, double duration, ulong seed)
    {
        var state = TestSystems.LjFcc(4, 0.75, 1.0, seed: seed);
        var sim = new Simulation(state, TestSystems.Lj(shift: true), new VelocityVerlet(0.004));
        sim.Run(1000); // melt the lattice at the small step first, so both runs start from the same liquid
        var liquid = state.Clone();
        var run = new Simulation(liquid, TestSystems.Lj(shift: true), new VelocityVerlet(dt));
        var steps = (int)Math.Round(duration / dt);
        double sum = 0, sum2 = 0;
        for (var s = 0; s < steps; s++)
        {
            run.Step();
            var e = run.Thermo().Conserved;
            sum += e; sum2 += e * e;
        }
        var mean = sum / steps;
        return Math.Sqrt(Math.Max(sum2 / steps - mean * mean, 0));
    }

    [Fact]
    public void NveEnergyFluctuationScalesAsTimeStepSquared()
    {
        // Averaged over initial velocities: one 256-atom trajectory's ratio ranges from 2.7 to 4.2 between seeds
        // (and moves with any change in the order of the force sums), the mean of four is stable.
        ulong[] seeds = [3, 4, 5, 6];
        var coarse = seeds.Average(seed => ConservedFluctuation(0.008, 16, seed));
        var fine = seeds.Average(seed => ConservedFluctuation(0.004, 16, seed));
        // Allen–Tildesley: mean squared deviation 1.3e-8 at dt = 0.004, i.e. an RMS of 1.1e-4 per atom.
        Assert.InRange(fine, 2e-5, 5e-4);
        Assert.InRange(coarse / fine, 3.0, 5.5);
    }

    [Fact]
    public void NoseHooverChainSamplesCanonicalTemperature()
    {
        const double target = 1.2;
        var state = TestSystems.LjFcc(3, 0.6, target, seed: 5);
        var nhc = new NoseHooverChain(0.005, target, 0.1, 3);
        var sim = new Simulation(state, TestSystems.Lj(shift: true), nhc);
        sim.Run(2000);
        var start = sim.Thermo().Conserved;
        double sum = 0, sum2 = 0;
        const int samples = 30000;
        for (var s = 0; s < samples; s++)
        {
            sim.Step();
            var t = sim.Thermo().Temperature;
            sum += t; sum2 += t * t;
        }
        var mean = sum / samples;
        var variance = sum2 / samples - mean * mean;
        // Canonical kinetic energy: the instantaneous temperature has variance 2T²/g with g degrees of freedom.
        var expected = 2 * target * target / state.DegreesOfFreedom;
        Assert.InRange(mean, target - 0.02, target + 0.02);
        Assert.InRange(variance / expected, 0.8, 1.2);
        // The extended energy is conserved by the chain integrator.
        Assert.InRange(Math.Abs(sim.Thermo().Conserved - start), 0, 5e-3);
    }

    [Fact]
    public void LangevinSamplesCanonicalTemperatureAndIsReproducible()
    {
        const double target = 0.9;
        double Run(out double variance, out State final)
        {
            var state = TestSystems.LjFcc(3, 0.6, 0.3, seed: 2);
            var sim = new Simulation(state, TestSystems.Lj(shift: true), new Langevin(0.005, target, 0.5, seed: 11));
            sim.Run(1000);
            double sum = 0, sum2 = 0;
            const int samples = 20000;
            for (var s = 0; s < samples; s++)
            {
                sim.Step();
                var t = sim.Thermo().Temperature;
                sum += t; sum2 += t * t;
            }
            final = state;
            var mean = sum / samples;
            variance = sum2 / samples - mean * mean;
            return mean;
        }
        var mean = Run(out var variance, out var first);
        Assert.InRange(mean, target - 0.03, target + 0.03);
        var expected = 2 * target * target / first.DegreesOfFreedom;
        Assert.InRange(variance / expected, 0.75, 1.25);
        Run(out _, out var second);
        Assert.Equal(first.X, second.X);
    }
}
