using DiffSim.Cli.Building;
using DiffSim.Cli.Config;
using DiffSim.Cli.Running;

namespace DiffSim.Tests.Cli;

/// <summary>Ctrl-C during <c>diffsim fit</c> (the runner's token): training stops after the current epoch, nothing is evaluated.</summary>
public class FitInterruptTests
{
    [Fact]
    public void AnInterruptedFitStopsBeforeItsLastEpochAndWritesNoOutputs()
    {
        using var dir = new TempFolder();
        var text = Cli.LjFitModel(Cli.LjTarget) + "[train]\nwindow = 20\nsample_every = 5\nepochs = 50\nequilibrate = 20\nthreads = 1\n[rdf]\nbins = 150\nrmax = 3.0\nloss_rmin = 0.8\n";
        var config = FitConfig.Parse(text, new ConfigSource("fit.toml", dir.Path));
        config = config with { Output = config.Output with { Directory = dir.File("out") } };
        var fit = FitBuilder.Build(config);
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        var result = new FitRunner(config, fit, TextWriter.Null).Run(resume: false, interrupt.Token);
        Assert.True(result.Interrupted);
        Assert.True(fit.Trainer.Epoch < 50);
        Assert.True(File.Exists(dir.File("out/train.csv")));
        Assert.False(File.Exists(dir.File("out/summary.json")));
    }
}
