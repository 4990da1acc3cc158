using System.Globalization;
using System.Text.Json;

namespace DiffSim.Tests.Cli;

/// <summary><c>diffsim fit</c> with pressure, energy and VACF terms per [[state]]: the train.csv columns, the summary, and bad input.</summary>
public class FitLossTermsTests
{
    private static string Config(string stateExtra, int epochs = 3) => Cli.LjFitModel(Cli.LjTarget, stateExtra: stateExtra) + $$"""
        [train]
        window = 40
        sample_every = 5
        epochs = {{epochs}}
        learning_rate = 0.01
        equilibrate = 100
        evaluate_steps = 200
        threads = 1
        [rdf]
        bins = 150
        rmax = 3.0
        width = 0.02
        loss_rmin = 0.8
        """;

    private static string Vacf(TempFolder dir, string name = "vacf.csv", string? text = null)
        => dir.Write(name, text ?? "t,C\n" + string.Concat(Enumerable.Range(0, 41).Select(k => string.Create(CultureInfo.InvariantCulture, $"{0.0125 * k},{3.6 * Math.Exp(-0.0125 * k / 0.3)}\n"))));

    [Fact]
    public void EachTermGetsItsColumnAndTheSummaryReportsPressureAndEnergy()
    {
        using var dir = new TempFolder();
        var vacf = Vacf(dir).Replace("\\", "/");
        var config = dir.Write("fit.toml", Config($"pressure = 0.2\npressure_weight = 2\nenergy = -1.2\nenergy_scale = 0.5\nvacf_target = \"{vacf}\"\nvacf_weight = 0.5"));
        var run = Cli.Run("fit", config, "-o", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("(target 0.2)", run.Stdout);

        var train = File.ReadAllLines(Path.Combine(dir.File("out"), "train.csv"));
        Assert.Equal("epoch,loss_lj,loss_lj_rdf,loss_lj_pressure,loss_lj_energy,loss_lj_vacf,pressure_lj,energy_lj,total,grad_norm,learning_rate,epsilon[A-A],sigma[A-A]", train[0]);
        Assert.Equal(4, train.Length);
        foreach (var line in train.Skip(1))
        {
            var v = line.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            Assert.All(v, x => Assert.True(double.IsFinite(x)));
            Assert.Equal(v[1], v[2] + v[3] + v[4] + v[5], 1e-12 * v[1]);
            // The pressure term is 2 ((P − 0.2)/ρk_BT)² with the default scale ρ k_B T = 0.36.
            Assert.Equal(2 * Math.Pow((v[6] - 0.2) / 0.36, 2), v[3], 1e-9 * v[3]);
            Assert.Equal(Math.Pow((v[7] + 1.2) / 0.5, 2), v[4], 1e-9 * v[4]);
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "summary.json")));
        var state = summary.RootElement.GetProperty("states")[0];
        Assert.Equal(0.2, state.GetProperty("target_pressure").GetDouble());
        Assert.True(double.IsFinite(state.GetProperty("pressure").GetDouble()));
        Assert.Equal(-1.2, state.GetProperty("target_energy").GetDouble());
    }

    [Fact]
    public void ResumeWithTermsMatchesAnUninterruptedRun()
    {
        using var dir = new TempFolder();
        const string terms = "pressure = 0.2\nenergy = -1.2";
        Assert.Equal(0, Cli.Run("fit", dir.Write("whole.toml", Config(terms, epochs: 4)), "-o", dir.File("whole")).ExitCode);
        Assert.Equal(0, Cli.Run("fit", dir.Write("part.toml", Config(terms, epochs: 2)), "-o", dir.File("split")).ExitCode);
        var rest = Cli.Run("fit", dir.Write("rest.toml", Config(terms, epochs: 4)), "-o", dir.File("split"), "--resume");
        Assert.True(rest.ExitCode == 0, rest.Stderr);
        Assert.Equal(File.ReadAllLines(Path.Combine(dir.File("whole"), "train.csv")), File.ReadAllLines(Path.Combine(dir.File("split"), "train.csv")));
    }

    [Theory]
    [InlineData("fit-pressure.toml", false)]
    [InlineData("fit-pressure-energy.toml", true)]
    public void SoftShoulderExamplesLoad(string file, bool energy)
    {
        var config = DiffSim.Cli.Config.FitConfig.Load(RepoPaths.Get("examples", "nn-soft-shoulder", file));
        var terms = config.States[0].Terms;
        Assert.Equal(2.6306, terms.Pressure!.Target);
        Assert.Equal(energy, terms.Energy is not null);
        Assert.True(File.Exists(config.States[0].Target));
    }

    [Fact]
    public void NormalisedVacfAloneTrains()
    {
        using var dir = new TempFolder();
        var vacf = Vacf(dir).Replace("\\", "/");
        var run = Cli.Run("fit", dir.Write("fit.toml", Config($"vacf_target = \"{vacf}\"\nvacf_normalised = true", epochs: 2)), "-o", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var train = File.ReadAllLines(Path.Combine(dir.File("out"), "train.csv"));
        Assert.StartsWith("epoch,loss_lj,loss_lj_rdf,loss_lj_vacf,total,", train[0]);
    }

    [Theory]
    [InlineData("pressure_weight = 2", "pressure")]
    [InlineData("energy_scale = 0.5", "energy")]
    [InlineData("pressure = 1.0\npressure_weight = -1", "pressure_weight")]
    [InlineData("pressure = 1.0\npressure_scale = 0", "pressure_scale")]
    [InlineData("pressure = \"high\"", "pressure")]
    [InlineData("vacf_weight = 1", "vacf_target")]
    [InlineData("vacf_target = \"nope.csv\"", "nope.csv")]
    [InlineData("presure = 1.0", "presure")]
    public void BadTermsGiveClearErrors(string stateExtra, string mentioned)
    {
        using var dir = new TempFolder();
        var run = Cli.Run("fit", dir.Write("fit.toml", Config(stateExtra)));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains(mentioned, run.Stderr);
    }

    [Theory]
    [InlineData("t,C,D\n0,1,2\n0.1,0.5,1\n", "two columns")]
    [InlineData("t,C\n0.1,1\n0.2,0.5\n", "t = 0")]
    [InlineData("t,C\n0,1\n0.001,0.9\n", "first lag")]
    [InlineData("t,C\n", "no data")]
    public void BadVacfFilesGiveClearErrors(string text, string mentioned)
    {
        using var dir = new TempFolder();
        var vacf = Vacf(dir, "bad.csv", text).Replace("\\", "/");
        var run = Cli.Run("fit", dir.Write("fit.toml", Config($"vacf_target = \"{vacf}\"")));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains(mentioned, run.Stderr);
        Assert.Contains("vacf_target", run.Stderr);
    }
}
