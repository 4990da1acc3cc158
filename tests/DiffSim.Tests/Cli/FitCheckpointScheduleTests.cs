using System.Globalization;

namespace DiffSim.Tests.Cli;

/// <summary><c>[train] checkpoint_schedule</c>: the binomial schedule trains as the uniform one does, and conflicting keys are named.</summary>
public class FitCheckpointScheduleTests
{
    private static string Config(string checkpointing) => Cli.LjFitModel(Cli.LjTarget) + $$"""
        [train]
        window = 40
        sample_every = 5
        epochs = 3
        learning_rate = 0.01
        equilibrate = 100
        evaluate_steps = 100
        threads = 1
        {{checkpointing}}
        """;

    private static double[][] Train(TempFolder dir, string name, string checkpointing)
    {
        var run = Cli.Run("fit", dir.Write(name + ".toml", Config(checkpointing)), "-o", dir.File(name));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        return File.ReadAllLines(Path.Combine(dir.File(name), "train.csv")).Skip(1)
            .Select(l => l.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }

    [Fact]
    public void BinomialScheduleTrainsLikeTheUniformOne()
    {
        using var dir = new TempFolder();
        var uniform = Train(dir, "uniform", "checkpoint_interval = 7");
        var binomial = Train(dir, "binomial", "checkpoint_schedule = \"binomial\"\ncheckpoint_memory_mb = 0.2");
        Assert.Equal(uniform.Length, binomial.Length);
        for (var e = 0; e < uniform.Length; e++)
            for (var c = 0; c < uniform[e].Length; c++)
                Assert.Equal(uniform[e][c], binomial[e][c], 1e-7 * Math.Abs(uniform[e][c]) + 1e-12);
    }

    [Fact]
    public void AnIntervalWithTheBinomialScheduleIsRefusedByName()
    {
        using var dir = new TempFolder();
        var run = Cli.Run("fit", dir.Write("fit.toml", Config("checkpoint_interval = 7\ncheckpoint_schedule = \"binomial\"")), "-o", dir.File("out"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("checkpoint_interval", run.Stderr);
    }
}
