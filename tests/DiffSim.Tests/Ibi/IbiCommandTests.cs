using System.Text.Json;
using CliRunner = DiffSim.Tests.Cli.Cli;
using TempFolder = DiffSim.Tests.Cli.TempFolder;

namespace DiffSim.Tests.Ibi;

/// <summary><c>diffsim ibi</c> end to end on a short run, and its bad-input exits.</summary>
public class IbiCommandTests
{
    private static string Config(string ibi) => CliRunner.LjFitModel(CliRunner.LjTarget, epsilon: 1.0, sigma: 1.0) + $$"""
        [rdf]
        bins = 150
        rmax = 3.0
        loss_rmin = 0.8
        {{ibi}}
        """;

    [Fact]
    public void IbiWritesEveryOutput()
    {
        using var dir = new TempFolder();
        var config = dir.Write("ibi.toml", Config("""
            [ibi]
            iterations = 2
            steps_per_iteration = 200
            equilibrate = 20
            initial_equilibrate = 100
            sample_every = 10
            pressure_correction = true
            threads = 1
            [ibi.pressure]
            lj = 0.2
            """));
        var run = CliRunner.Run("ibi", config, "-o", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        foreach (var f in new[] { "ibi.csv", "potential.csv", "potential.table", "rdf_lj.csv", "rdf_lj.png", "rms.png", "potential.png", "summary.json" })
            Assert.True(File.Exists(Path.Combine(dir.File("out"), f)), f);
        var csv = File.ReadAllLines(Path.Combine(dir.File("out"), "ibi.csv"));
        Assert.Equal("iteration,rms_lj,pressure_lj,max_correction,seconds", csv[0]);
        Assert.Equal(4, csv.Length);
        var table = File.ReadAllLines(Path.Combine(dir.File("out"), "potential.table"));
        Assert.Contains(table, l => l == "A_A");
        // The table ends at the cutoff as given (its knots' sum of spacings rounded to 2.5000000000000013 before).
        Assert.EndsWith("<file> A_A 2.5", table[0]);
        Assert.EndsWith(" 2.5", table.Single(l => l.StartsWith("N 1000 R ", StringComparison.Ordinal)));
        var rdf = File.ReadAllLines(Path.Combine(dir.File("out"), "rdf_lj.csv"));
        Assert.Equal("# units lj: r in σ; g of the last iteration, the target over its own range, the error over [0.8, 3]", rdf[0]);
        Assert.Equal("r,g_A_A,target_A_A", rdf[1]);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "summary.json")));
        var state = summary.RootElement.GetProperty("states")[0];
        Assert.InRange(state.GetProperty("rdf_rms_error").GetDouble(), 0.0, 0.3);
        Assert.Equal(0.2, state.GetProperty("target_pressure").GetDouble());
    }

    [Fact]
    public void SummariesWriteAQuantityThatIsNotAFiniteNumberAsNull()
    {
        var json = JsonSerializer.Serialize(new { rms = double.NaN, pressure = double.PositiveInfinity, steps = 2.5, none = (double?)null }, DiffSim.Cli.Running.SummaryJson.Options);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("rms").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("pressure").ValueKind);
        Assert.Equal(2.5, doc.RootElement.GetProperty("steps").GetDouble());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("none").ValueKind);
    }

    [Theory]
    [InlineData("[ibi]\ndamping = 2.0", "[ibi].damping")]
    [InlineData("[ibi]\niterashuns = 3", "iterashuns")]
    [InlineData("[ibi]\npressure_correction = true", "[ibi.pressure]")]
    [InlineData("[ibi]\n[ibi.pressure]\nnobody = 1.0", "nobody")]
    public void BadInputExitsWithTwo(string ibi, string mentioned)
    {
        using var dir = new TempFolder();
        var run = CliRunner.Run("ibi", dir.Write("ibi.toml", Config(ibi)), "-o", dir.File("out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(mentioned, run.Stderr);
    }

    [Fact]
    public void FitLossTermsAreRejected()
    {
        using var dir = new TempFolder();
        var run = CliRunner.Run("ibi", dir.Write("ibi.toml", Config("").Replace("temperature = 1.2", "temperature = 1.2\npressure = 0.2")), "-o", dir.File("out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("pressure_correction", run.Stderr);
    }

    [Fact]
    public void MissingConfigFileExitsWithTwo()
    {
        var run = CliRunner.Run("ibi", "/nonexistent/ibi.toml");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error:", run.Stderr);
    }

    [Fact]
    public void ATimeStepFarTooLongForTheTableStopsTheRunAsDiverged()
    {
        // The Boltzmann-inverted table is finite at every r: at dt = 0.5 the run does not blow up to NaN but returns
        // nonsense (a pressure of 10⁴ at every iteration); the conserved quantity's drift gives it away.
        using var dir = new TempFolder();
        var config = Config("""
            [ibi]
            iterations = 1
            steps_per_iteration = 100
            equilibrate = 10
            initial_equilibrate = 200
            sample_every = 10
            threads = 1
            """).Replace("dt = 0.005", "dt = 0.5");
        var run = CliRunner.Run("ibi", dir.Write("ibi.toml", config), "-o", dir.File("out"));
        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("error: the simulation diverged at step ", run.Stderr);
        Assert.Contains("state point lj: the integrator's conserved quantity drifted by", run.Stderr);
    }
}
