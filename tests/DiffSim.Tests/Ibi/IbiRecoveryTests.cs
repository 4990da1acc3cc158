using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Tests.Engine;
using DiffSim.Training;
using Xunit.Abstractions;

namespace DiffSim.Tests.Ibi;

/// <summary>IBI on a small LJ fluid recovers a target g(r) that DiffSim made with the true potential.</summary>
public class IbiRecoveryTests(ITestOutputHelper output)
{
    private const double Density = 0.5;
    private const double Temperature = 1.2;
    private const double RdfMax = 2.5;
    private const double Bin = 0.05;

    [Fact]
    public void IbiRecoversTheRdfOfTheTruePotential()
    {
        // Target: the true LJ (ε = σ = 1, cut and shifted at 2.5), 108 atoms, long run.
        var truth = TestSystems.LjFcc(3, Density, Temperature, seed: 3);
        var sim = new Simulation(truth, TestSystems.Lj(2.5, shift: true), new NoseHooverChain(0.005, Temperature, 0.5));
        sim.Run(1000);
        var histogram = new PairHistogram((int)Math.Round(RdfMax / Bin), RdfMax, 1);
        for (var n = 1; n <= 8000; n++)
        {
            sim.Step();
            if (n % 10 == 0) histogram.Accumulate(truth);
        }
        var target = histogram.Rdf(truth, 0, 0);

        var point = new IbiStatePoint
        {
            Name = "lj",
            State = TestSystems.LjFcc(3, Density, Temperature, seed: 5),
            Integrator = new NoseHooverChain(0.005, Temperature, 0.5),
            Temperature = Temperature,
            Target = [target],
        };
        var options = new IbiOptions
        {
            Iterations = 5,
            StepsPerIteration = 2000,
            Equilibrate = 100,
            InitialEquilibrate = 500,
            SampleEvery = 10,
            Damping = 0.5,
            GridSpacing = Bin,
            RdfMax = RdfMax,
            ErrorRMin = 0.8,
        };
        var ibi = new IterativeBoltzmannInversion(["A"], [point], (_, _) => 2.5, options);
        var iterations = ibi.Run();
        var rms = iterations.Select(i => i.RmsErrors[0]).ToArray();
        output.WriteLine(string.Join(" ", rms.Select(e => e.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(options.Iterations + 1, rms.Length);
        var late = rms.Skip(rms.Length - 2).Min();
        Assert.True(late < 0.6 * rms[0], $"the RMS error should fall: first {rms[0]:F4}, last two {string.Join(", ", rms.TakeLast(2))}");
        Assert.True(late < 0.05, $"the RMS error should reach the noise level: {late:F4}");
        // u_N stays a potential: zero at the cutoff, repulsive core, an attractive well near the LJ minimum.
        Assert.Equal(0.0, ibi.Field.PairEnergy(0, 0, 2.5, out _), 9);
        Assert.True(ibi.Field.PairEnergy(0, 0, 0.95, out _) > 0);
        Assert.InRange(ibi.Field.PairEnergy(0, 0, 1.12, out _), -1.6, -0.5);
    }
}
