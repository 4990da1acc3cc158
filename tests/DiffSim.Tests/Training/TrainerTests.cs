using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Losses;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Tests.Engine;
using DiffSim.Training;

namespace DiffSim.Tests.Training;

public class TrainerTests
{
    /// <summary>Two LJ state points fitted to the RDF of the true potential (ε = σ = 1) from ε = 0.8, σ = 1.05.</summary>
    private static Trainer Build(double[] targetAt08, double[] targetAt12, WindowLoss? lossOverride = null, double weightAt12 = 1.0, bool onlyFirst = false, double averaging = 0)
    {
        var points = new List<StatePoint>();
        foreach (var (t, target) in new[] { (0.8, targetAt08), (1.2, targetAt12) }.Take(onlyFirst ? 1 : 2))
        {
            var state = TestSystems.LjFcc(3, 0.8, t, seed: 9);
            var table = PairTable<LennardJones>.Single(new LennardJones(0.8, 1.05), 2.5, shift: true);
            var field = new DifferentiablePairField<LennardJones>(new PairForceField<LennardJones>(table, 0.3), ["A"]);
            var rdf = new SmearedRdf(1, 60, 0.0, 2.4, 0.03);
            var loss = RdfMseLoss.For(rdf, [target], 0.8, 2.4);
            points.Add(new StatePoint
            {
                Name = $"T{t}",
                State = state,
                Field = field,
                Integrator = new NoseHooverChain(0.005, t, 0.2, 3),
                Observables = [rdf],
                Loss = lossOverride ?? ((o, d) => loss.Evaluate(o[0].Value, d[0])),
                EquilibrationSteps = 200,
                Weight = t == 1.2 ? weightAt12 : 1.0,
            });
        }
        var options = new TrainingOptions { WindowSteps = 30, SampleEvery = 5, Epochs = 4, LearningRate = 0.01, Threads = 2, ParameterAveraging = averaging };
        return new Trainer(points, [0.8, 1.05], [true, true], options);
    }

    private static double[] TrueRdf(double temperature)
    {
        var state = TestSystems.LjFcc(3, 0.8, temperature, seed: 4);
        var sim = new Simulation(state, TestSystems.Lj(shift: true), new NoseHooverChain(0.005, temperature, 0.2, 3));
        sim.Run(1000);
        var rdf = new SmearedRdf(1, 60, 0.0, 2.4, 0.03);
        for (var f = 0; f < 100; f++)
        {
            sim.Run(10);
            rdf.Accumulate(f, state);
        }
        return rdf.Value.ToArray();
    }

    [Fact]
    public void ResumedRunRepeatsTheUninterruptedOneExactly()
    {
        var t08 = TrueRdf(0.8);
        var t12 = TrueRdf(1.2);

        var whole = Build(t08, t12);
        whole.Equilibrate();
        var records = whole.Run();
        Assert.Equal(4, records.Count);

        var first = Build(t08, t12);
        first.Equilibrate();
        first.Step();
        first.Step();
        var path = Path.Combine(Path.GetTempPath(), $"diffsim-ckpt-{Guid.NewGuid():N}.json");
        try
        {
            TrainingCheckpoint.Capture(first).Write(path);
            var resumed = Build(t08, t12);
            TrainingCheckpoint.Read(path).Restore(resumed);
            Assert.Equal(2, resumed.Epoch);
            var rest = resumed.Run();
            Assert.Equal(2, rest.Count);
            Assert.Equal(whole.Parameters, resumed.Parameters);
            Assert.Equal(whole.AveragedParameters, resumed.AveragedParameters);
            Assert.Equal(records[^1].TotalLoss, rest[^1].TotalLoss);
        }
        finally
        {
            File.Delete(path);
        }
        // σ, started 5 % high, moves towards 1 at once; ε first trades off against σ (a softer repulsion also
        // moves the first peak in), so only σ's direction is asserted after four epochs.
        Assert.True(whole.Parameters[1] < 1.04, $"σ = {whole.Parameters[1]}");
    }

    [Fact]
    public void ParameterAverageIsTheExponentialMovingAverageOfTheIterates()
    {
        var t08 = TrueRdf(0.8);
        var trainer = Build(t08, t08, averaging: 0.25, onlyFirst: true);
        trainer.Equilibrate();
        var first = trainer.Step().Parameters;
        var second = trainer.Step().Parameters;
        for (var k = 0; k < 2; k++)
        {
            Assert.Equal(0.25 * first[k] + 0.75 * second[k], trainer.AveragedParameters[k], 1e-15);
            Assert.NotEqual(first[k], second[k]);
        }
    }

    [Fact]
    public void ZeroWeightStateIsMonitoredButNotTrainedOn()
    {
        var t08 = TrueRdf(0.8);
        var t12 = TrueRdf(1.2);
        var alone = Build(t08, t12, onlyFirst: true);
        alone.Equilibrate();
        alone.Step();
        alone.Step();
        var monitored = Build(t08, t12, weightAt12: 0);
        monitored.Equilibrate();
        monitored.Step();
        var last = monitored.Step();
        Assert.Equal(alone.Parameters, monitored.Parameters);
        // The monitored state's loss is still measured, and it counts for nothing in the total.
        Assert.True(last.StateLosses[1] > 0);
        Assert.Equal(last.StateLosses[0], last.TotalLoss);
    }

    [Fact]
    public void NonFiniteGradientStopsWithoutTouchingParameters()
    {
        var target = new double[60];
        var trainer = Build(target, target, (_, d) =>
        {
            d[0][20] = double.NaN;
            return 1.0;
        });
        var before = (double[])trainer.Parameters.Clone();
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Step());
        Assert.Contains("not finite", e.Message);
        Assert.Equal(before, trainer.Parameters);
    }

    [Fact]
    public void StatePointsSharingAnObjectAreRefusedBeforeTheyRunConcurrently()
    {
        var ok = Build(new double[60], new double[60]);
        var (first, second) = (ok.Points[0], ok.Points[1]);
        StatePoint With(Func<StatePoint, StatePoint> change) => change(second);
        var shared = new (string What, StatePoint Point)[]
        {
            ("state", With(p => new StatePoint { Name = p.Name, State = first.State, Field = p.Field, Integrator = p.Integrator, Observables = p.Observables, Loss = p.Loss })),
            ("force field", With(p => new StatePoint { Name = p.Name, State = p.State, Field = first.Field, Integrator = p.Integrator, Observables = p.Observables, Loss = p.Loss })),
            ("integrator", With(p => new StatePoint { Name = p.Name, State = p.State, Field = p.Field, Integrator = first.Integrator, Observables = p.Observables, Loss = p.Loss })),
            ("observable", With(p => new StatePoint { Name = p.Name, State = p.State, Field = p.Field, Integrator = p.Integrator, Observables = first.Observables, Loss = p.Loss })),
        };
        foreach (var (what, point) in shared)
        {
            var e = Assert.Throws<ArgumentException>(() => new Trainer([first, point], [0.8, 1.05], [true, true], ok.Options));
            Assert.Contains($"state points T0.8 and T1.2 share one {what} object", e.Message);
        }
    }

    [Fact]
    public void ATableWithAPairNeverSetOrFieldNamesOfAnotherCountAreRefused()
    {
        var table = new PairTable<LennardJones>(2);
        table.Set(0, 0, new LennardJones(1, 1), 2.5, shift: false);
        var missing = Assert.Throws<ArgumentException>(() => new PairForceField<LennardJones>(table, 0.3));
        Assert.Contains("type pair [\"0\", \"1\"]", missing.Message);

        var single = PairTable<LennardJones>.Single(new LennardJones(1, 1), 2.5, shift: true);
        var names = Assert.Throws<ArgumentException>(() => new DifferentiablePairField<LennardJones>(new PairForceField<LennardJones>(single, 0.3), ["A", "B"]));
        Assert.Contains("1 particle types, but 2 type names", names.Message);
    }
}
