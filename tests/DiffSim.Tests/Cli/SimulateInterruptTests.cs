using DiffSim.Cli.Building;
using DiffSim.Cli.Config;
using DiffSim.Cli.Running;
using DiffSim.Forces;
using DiffSim.Observables;

namespace DiffSim.Tests.Cli;

/// <summary>Ctrl-C during <c>diffsim simulate</c> (the runner's token): the steps done are written, marked interrupted.</summary>
public class SimulateInterruptTests
{
    /// <summary>Cancels the run at its first progress report past 50 production steps (ten RDF frames).</summary>
    private sealed class InterruptInProduction(CancellationTokenSource interrupt) : IRunProgress
    {
        private string _phase = "";
        public void BeginPhase(string phase, long steps) => _phase = phase;
        public void Report(long stepsDone, in ThermoSample latest) { if (_phase == "production" && stepsDone >= 50) interrupt.Cancel(); }
        public void EndPhase() { }
    }

    [Fact]
    public void AnInterruptedRunWritesItsAveragesRdfAndSummaryMarkedInterrupted()
    {
        using var folder = new TempFolder();
        var config = SimulateConfig.Parse(Cli.SmallConfig(equilibrate: 100, steps: 600), new ConfigSource("small", folder.Path));
        var model = ModelBuilder.Build(config.Model, new ForceFieldOptions { Threads = 1 }, config.Model.System.Seed);
        using var interrupt = new CancellationTokenSource();
        var result = new SimulationRunner(config, model, folder.File("out")).Run(new InterruptInProduction(interrupt), interrupt.Token);

        Assert.True(result.Interrupted);
        Assert.Equal("interrupted", result.Summary.Status);
        Assert.InRange(result.Summary.StepsCompleted, 101, 699);
        Assert.True(File.Exists(folder.File("out/summary.json")));
        Assert.True(File.Exists(folder.File("out/thermo.csv")));
        Assert.True(File.Exists(folder.File("out/rdf.csv")));
    }
}
