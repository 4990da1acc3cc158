using System.Globalization;
using System.Text.Json;
using DiffSim.Cli.Commands;

namespace DiffSim.Tests.Cli;

/// <summary><c>diffsim fit</c> end to end on a small problem: outputs, resume, and bad input.</summary>
public class FitCommandTests
{
    private static string Target => Cli.LjTarget;

    private static string Config(int epochs, string target, string extra = "") => Cli.LjFitModel(target) + $$"""
        [train]
        window = 40
        sample_every = 5
        epochs = {{epochs}}
        learning_rate = 0.01
        equilibrate = 200
        threads = 1
        [rdf]
        bins = 150
        rmax = 3.0
        width = 0.02
        loss_rmin = 0.8
        {{extra}}
        """;

    [Fact]
    public void FitWritesEveryOutputAndMovesTheParametersTowardsTheTarget()
    {
        using var dir = new TempFolder();
        var config = dir.Write("fit.toml", Config(12, Target));
        var run = Cli.Run("fit", config, "-o", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        foreach (var f in new[] { "train.csv", "potential.csv", "potential.table", "rdf_lj.csv", "rdf_lj.png", "potential.png", "loss.png", "summary.json", "checkpoint.json" })
            Assert.True(File.Exists(Path.Combine(dir.File("out"), f)), f);

        var train = File.ReadAllLines(Path.Combine(dir.File("out"), "train.csv"));
        Assert.Equal("epoch,loss_lj,total,grad_norm,learning_rate,epsilon[A-A],sigma[A-A]", train[0]);
        Assert.Equal(13, train.Length);
        var last = train[^1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // σ started 5 % high and the RDF's core edge pulls it down at once.
        Assert.InRange(last[6], 0.95, 1.045);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "summary.json")));
        var rms = summary.RootElement.GetProperty("states")[0].GetProperty("rdf_rms_error").GetDouble();
        Assert.InRange(rms, 0.0, 0.2);

        // The LAMMPS table has one section, A_A; the fit is shifted (shift = true), so are the exports: u(r_c) = 0.
        var table = File.ReadAllLines(Path.Combine(dir.File("out"), "potential.table"));
        Assert.Contains("A_A", table);
        Assert.Contains(table, l => l.StartsWith("N 1000 R ", StringComparison.Ordinal));
        Assert.Equal(0.0, double.Parse(table.Last(l => l.Length > 0).Split(' ')[2], CultureInfo.InvariantCulture), 12);
        var potential = File.ReadAllLines(Path.Combine(dir.File("out"), "potential.csv"));
        Assert.Equal("# units lj: r in σ, u in ε, f = -du/dr in ε/σ", potential[0]);
        Assert.Equal("r,u_A_A,f_A_A", potential[1]);
        Assert.DoesNotContain(potential, l => l.Contains(",-0,", StringComparison.Ordinal) || l.EndsWith(",-0", StringComparison.Ordinal));
        Assert.Contains(table, l => l.Contains("pair_style table spline 1000; pair_coeff 1 1 <file> A_A 2.5", StringComparison.Ordinal));
        var atCutoff = potential.Skip(2).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).Last(v => v[0] <= 2.5);
        Assert.InRange(atCutoff[1], -1e-3, 1e-3);

        // The evaluation's RDF file has the target wherever the target has it, below loss_rmin = 0.8 too.
        var rdf = File.ReadAllLines(Path.Combine(dir.File("out"), "rdf_lj.csv"));
        Assert.StartsWith("# units lj", rdf[0]);
        Assert.Equal("r,g_A_A,target_A_A", rdf[1]);
        Assert.NotEqual("", rdf.Skip(2).Select(l => l.Split(',')).First(v => double.Parse(v[0], CultureInfo.InvariantCulture) is > 0.5 and < 0.8)[2]);
    }

    [Fact]
    public void WithAveragingTheLogReportsTheAveragedParametersTheOutputsHold()
    {
        using var dir = new TempFolder();
        var config = dir.Write("fit.toml", Config(4, Target).Replace("threads = 1", "threads = 1\naverage = 0.5"));
        var run = Cli.Run("fit", config, "-o", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "summary.json")));
        var epsilon = summary.RootElement.GetProperty("parameters")[0].GetProperty("final").GetDouble();
        var line = run.Stdout.Split('\n').Single(l => l.StartsWith("fitted (moving average): ", StringComparison.Ordinal));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"epsilon[A-A]={epsilon:F5}"), line);
        // The last iterate (train.csv's last row) is not what was fitted: the average lags it.
        var last = File.ReadAllLines(Path.Combine(dir.File("out"), "train.csv"))[^1].Split(',');
        Assert.NotEqual(double.Parse(last[^2], CultureInfo.InvariantCulture), epsilon);
    }

    [Fact]
    public void ResumeContinuesFromTheCheckpointAndMatchesAnUninterruptedRun()
    {
        using var dir = new TempFolder();
        var whole = Cli.Run("fit", dir.Write("whole.toml", Config(4, Target)), "-o", dir.File("whole"));
        Assert.Equal(0, whole.ExitCode);

        var part = dir.Write("part.toml", Config(2, Target));
        Assert.Equal(0, Cli.Run("fit", part, "-o", dir.File("split")).ExitCode);
        var rest = Cli.Run("fit", dir.Write("rest.toml", Config(4, Target)), "-o", dir.File("split"), "--resume");
        Assert.True(rest.ExitCode == 0, rest.Stderr);
        Assert.Contains("resumed", rest.Stdout);

        var a = File.ReadAllLines(Path.Combine(dir.File("whole"), "train.csv"));
        var b = File.ReadAllLines(Path.Combine(dir.File("split"), "train.csv"));
        Assert.Equal(a, b);
    }

    [Fact]
    public void ResumingWithAChangedConfigOrAFinishedRunIsRefusedAndLeavesTheOutputs()
    {
        using var dir = new TempFolder();
        var out1 = dir.File("out");
        Assert.Equal(0, Cli.Run("fit", dir.Write("fit.toml", Config(2, Target)), "-o", out1).ExitCode);
        var summary = File.ReadAllText(Path.Combine(out1, "summary.json"));

        // A changed learning rate (or temperature, seed, initial σ …) would make the resumed run a mix of two configs.
        var changed = Cli.Run("fit", dir.Write("changed.toml", Config(4, Target).Replace("learning_rate = 0.01", "learning_rate = 0.02")), "-o", out1, "--resume");
        Assert.Equal(ExitCodes.BadConfig, changed.ExitCode);
        Assert.Contains("train.learning_rate was 0.01 when the run started and is 0.02 now", changed.Stderr);

        // The run is at its last epoch: nothing to continue, and its summary stays as it was.
        var done = Cli.Run("fit", dir.File("fit.toml"), "-o", out1, "--resume");
        Assert.Equal(ExitCodes.BadConfig, done.ExitCode);
        Assert.Contains("nothing to continue", done.Stderr);
        Assert.Equal(summary, File.ReadAllText(Path.Combine(out1, "summary.json")));

        // Stopped during its final evaluation (no summary yet): resuming writes the outputs, the final loss from train.csv.
        foreach (var f in new[] { "summary.json", "loss.png", "rdf_lj.csv", "potential.table" }) File.Delete(Path.Combine(out1, f));
        var finish = Cli.Run("fit", dir.File("fit.toml"), "-o", out1, "--resume");
        Assert.True(finish.ExitCode == 0, finish.Stderr);
        foreach (var f in new[] { "summary.json", "loss.png", "rdf_lj.csv", "potential.table" }) Assert.True(File.Exists(Path.Combine(out1, f)), f);
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(out1, "summary.json"))))
        {
            var lastTotal = double.Parse(File.ReadAllLines(Path.Combine(out1, "train.csv"))[^1].Split(',')[2], CultureInfo.InvariantCulture);
            Assert.Equal(lastTotal, json.RootElement.GetProperty("final_loss").GetDouble());
        }

        // More epochs, another thread count, a comment: the same run, continued.
        var longer = Config(4, Target).Replace("threads = 1", "threads = 2 # two now");
        Assert.Equal(0, Cli.Run("fit", dir.Write("longer.toml", "# a comment\n" + longer), "-o", out1, "--resume").ExitCode);
    }

    [Fact]
    public void ResumingFromADamagedOrForeignCheckpointIsAConfigErrorThatKeepsTheRunsFiles()
    {
        using var dir = new TempFolder();
        var out1 = dir.File("out");
        Assert.Equal(0, Cli.Run("fit", dir.Write("fit.toml", Config(2, Target)), "-o", out1).ExitCode);
        var checkpoint = Path.Combine(out1, "checkpoint.json");
        var saved = File.ReadAllText(checkpoint);
        var train = File.ReadAllText(Path.Combine(out1, "train.csv"));
        // Truncated, empty, other JSON, a null member; then a checkpoint of another config (three parameters, not two).
        foreach (var damaged in new[] { saved[..(saved.Length / 2)], "", "[1, 2, 3]", "{}", """{"Parameters": null}""" })
        {
            File.WriteAllText(checkpoint, damaged);
            var run = Cli.Run("fit", dir.File("fit.toml"), "-o", out1, "--resume");
            Assert.Equal(ExitCodes.BadConfig, run.ExitCode);
            Assert.StartsWith($"error: --resume: {checkpoint}: ", run.Stderr);
            Assert.Single(run.Stderr.Trim().Split('\n'));
            Assert.Equal(train, File.ReadAllText(Path.Combine(out1, "train.csv")));
        }
        File.WriteAllText(checkpoint, saved.Replace("\"Parameters\":[", "\"Parameters\":[1,"));
        var mismatch = Cli.Run("fit", dir.File("fit.toml"), "-o", out1, "--resume");
        Assert.Equal(ExitCodes.BadConfig, mismatch.ExitCode);
        Assert.Contains("another config", mismatch.Stderr);
    }

    [Fact]
    public void BadTargetAndMissingStateGiveClearErrors()
    {
        using var dir = new TempFolder();
        var missing = Cli.Run("fit", dir.Write("a.toml", Config(2, dir.File("nope.csv"))));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("target", missing.Stderr);
        Assert.Contains("nope.csv", missing.Stderr);

        var empty = dir.Write("empty.csv", "r,g\n");
        var bad = Cli.Run("fit", dir.Write("b.toml", Config(2, empty)));
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: ", bad.Stderr);

        var noState = Cli.Run("fit", dir.Write("c.toml", Config(2, Target).Replace("[[state]]", "[notstate]")));
        Assert.Equal(2, noState.ExitCode);
        Assert.Contains("notstate", noState.Stderr);

        var free = Cli.Run("fit", dir.Write("d.toml", Config(2, Target, "[model]\nfree = [\"epsilon\", \"alpha\"]")));
        Assert.Equal(2, free.ExitCode);
        Assert.Contains("alpha", free.Stderr);
    }

    [Theory]
    [InlineData("name = \"lj\"", "name = \"q/../../escaped\"", "[[state]] #1 name", "not a usable state name")]
    [InlineData("name = \"lj\"", "name = \"a,b\"", "[[state]] #1 name", "not a usable state name")]
    [InlineData("[train]", "[model]\nfree = []\n[train]", "[model].free", "nothing would be trained")]
    [InlineData("temperature = 1.2", "temperature = 1.2\nweight = 0", "[[state]] weight", "every state point has weight 0")]
    [InlineData("threads = 1", "threads = 1\nevaluate_steps = 0", "[train].evaluate_steps", "at least sample_every (5)")]
    [InlineData("learning_rate = 0.01", "learning_rate = 0.01\nlr_decay = 5", "[train].lr_decay", "must lie in (0, 1]")]
    [InlineData("rmax = 3.0", "rmax = 3.0\nloss_rmax = 5.0", "[rdf].loss_rmax", "must not exceed rmax = 3")]
    [InlineData("loss_rmin = 0.8", "loss_rmin = 2.5\nloss_rmax = 1.0", "[rdf].loss_rmax", "must exceed loss_rmin = 2.5")]
    [InlineData("bins = 150", "bins = 150\nrmin = -1.0", "[rdf].rmin", "must be zero or more")]
    [InlineData("threads = 1", "threads = 1\ncheckpoint_memory_mb = 0.001", "[train].checkpoint_memory_mb (state lj)", "cannot hold a 40-step window")]
    [InlineData("rmax = 3.0", "loss_rmax = 4.0", "[rdf].loss_rmax", "beyond the RDF's range (the default rmax = 3 of state lj)")]
    [InlineData("[train]", "[output]\ntrajectory = \"lammps\"\n[train]", "[output]", "\"trajectory\"")]
    public void ImpossibleTrainingSettingsAreNamedBeforeTheRun(string from, string to, string key, string message)
    {
        using var dir = new TempFolder();
        Cli.AssertConfigError(Cli.FitWith(dir, Config(2, Target), from, to), key, message);
    }

    [Fact]
    public void ANegativeTargetAndAStateFractionsOverrideMissingATypeAreNamed()
    {
        using var dir = new TempFolder();
        var negative = dir.Write("negative.csv", "r,g\n1.0,1.2\n1.1,-0.5\n1.2,1.0\n");
        var run = Cli.Run("fit", dir.Write("a.toml", Config(2, negative)), "-o", dir.File("a"));
        Assert.Equal(ExitCodes.BadConfig, run.ExitCode);
        Assert.Contains("negative.csv:3: g = -0.5 is negative", run.Stderr);

        var mixture = Config(2, Target).Replace("[[state]]", "[[state]]\nfractions = { A = 1.0 }")
            .Replace("seed = 7", "seed = 7\ntypes = [{ name = \"A\", fraction = 0.5 }, { name = \"B\", fraction = 0.5 }]")
            .Replace("[integrator]", "[[potential.pairs]]\ntypes = [\"A\", \"B\"]\nepsilon = 1.0\nsigma = 1.0\n[[potential.pairs]]\ntypes = [\"B\", \"B\"]\nepsilon = 1.0\nsigma = 1.0\n[integrator]");
        var partial = Cli.Run("fit", dir.Write("b.toml", mixture), "-o", dir.File("b"));
        Assert.Equal(ExitCodes.BadConfig, partial.ExitCode);
        Assert.Contains("[[state]] #1 fractions: gives no fraction for B", partial.Stderr);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ADivergingEquilibrationNamesItsStatePointAndExitsWithTheDivergedCode(int states)
    {
        using var dir = new TempFolder();
        // dt = 0.5 blows the LJ liquid up within its first steps; with two state points on two threads both diverge in
        // the pool, and the first one's error is the one reported, as itself (it came out as the pool's
        // AggregateException and a stack trace before).
        var config = Config(2, Target).Replace("dt = 0.005", "dt = 0.5").Replace("threads = 1", $"threads = {states}");
        if (states == 2) config = config.Replace("[train]", $"[[state]]\nname = \"hot\"\ntemperature = 2.0\ntarget = \"{Target.Replace("\\", "/")}\"\n[train]");
        var run = Cli.Run("fit", dir.Write("fit.toml", config), "-o", dir.File("out"));
        Assert.Equal(ExitCodes.Diverged, run.ExitCode);
        Assert.StartsWith("error: the simulation diverged at step ", run.Stderr);
        Assert.Contains("equilibrating state point lj, ", run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }
}
