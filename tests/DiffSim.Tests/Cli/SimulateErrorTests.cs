using System.Text.Json;
using DiffSim.Cli.Commands;
using DiffSim.IO;

namespace DiffSim.Tests.Cli;

/// <summary>Bad input gives one line "error: ..." naming the key and the fix, and the documented exit code.</summary>
public sealed class SimulateErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CliRun RunConfig(string text)
    {
        var path = _folder.Write("config.toml", text);
        return Cli.Run("simulate", path);
    }

    private static void AssertConfigError(CliRun run, params string[] mentions)
    {
        Assert.Equal(ExitCodes.BadConfig, run.ExitCode);
        var line = run.Stderr.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line);
        foreach (var m in mentions) Assert.Contains(m, line);
    }

    [Fact]
    public void UnknownKeyInATableIsNamedWithItsTableAndASuggestion()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("density = 0.8442", "densty = 0.8442"));
        AssertConfigError(run, "\"densty\"", "[system]", "did you mean \"density\"");
    }

    [Fact]
    public void UnknownTopLevelKeyIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("[integrator]", "[integrater]"));
        AssertConfigError(run, "\"integrater\"", "top level", "did you mean \"integrator\"");
    }

    [Fact]
    public void UnknownPotentialParameterIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("epsilon = 1.0", "epsilonn = 1.0"));
        AssertConfigError(run, "\"epsilonn\"", "[[potential.pairs]] #1");
    }

    [Fact]
    public void UnknownKeyInRunTableIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("threads = 1", "threads = 1\nstpes = 5"));
        AssertConfigError(run, "\"stpes\"", "[run]");
    }

    [Fact]
    public void MissingParameterIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("sigma = 1.0", ""));
        AssertConfigError(run, "[[potential.pairs]] #1 sigma", "missing");
    }

    [Fact]
    public void MissingTypePairIsNamedWithTheFix()
    {
        var config = Cli.SmallConfig()
            .Replace("types = [{ name = \"A\", mass = 1.0 }]", "types = [{ name = \"A\", mass = 1.0, fraction = 0.8 }, { name = \"B\", mass = 1.0, fraction = 0.2 }]")
            .Replace("[integrator]", "[[potential.pairs]]\ntypes = [\"B\", \"B\"]\nepsilon = 0.5\nsigma = 0.88\n\n[integrator]");
        var run = RunConfig(config);
        AssertConfigError(run, "[\"A\", \"B\"]", "[[potential.pairs]]");
    }

    [Fact]
    public void PairBlocksSplitByAnotherTableAreRefusedRatherThanDropped()
    {
        var run = RunConfig(Cli.SmallConfig() + "\n[[potential.pairs]]\ntypes = [\"A\", \"A\"]\nepsilon = 1.0\nsigma = 1.0\n");
        AssertConfigError(run, "[[potential.pairs]]", "config.toml:", "keep all [[potential.pairs]] blocks together");
    }

    [Fact]
    public void NegativeDensityIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("density = 0.8442", "density = -0.8442"));
        AssertConfigError(run, "[system].density", "positive");
    }

    [Fact]
    public void BoxTooSmallForTheCutoffNamesTheCutoffAndTheFix()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("cells = [4, 4, 4]", "cells = [2, 2, 2]"));
        AssertConfigError(run, "[potential].cutoff", "too small", "more lattice cells");
    }

    [Fact]
    public void RdfRangeBeyondHalfTheBoxIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("rmax = 3.3", "rmax = 5.0"));
        AssertConfigError(run, "[rdf].rmax");
    }

    [Fact]
    public void MissingTableFileIsNamed()
    {
        var config = Cli.SmallConfig()
            .Replace("kind = \"lj\"", "kind = \"table\"")
            .Replace("epsilon = 1.0\nsigma = 1.0", "file = \"nowhere.table\"\nkeyword = \"LJ\"");
        var run = RunConfig(config);
        AssertConfigError(run, "[[potential.pairs]] #1 file", "nowhere.table", "not found");
    }

    [Fact]
    public void MissingConfigFileIsReported()
    {
        var run = Cli.Run("simulate", _folder.File("absent.toml"));
        AssertConfigError(run, "absent.toml", "not found");
    }

    [Fact]
    public void MalformedTomlGivesTheLine()
    {
        var run = RunConfig("units = \"lj\"\n[system]\ndensity = = 0.8\n");
        AssertConfigError(run, "malformed TOML", "config.toml:3:");
    }

    [Fact]
    public void UnknownPotentialKindListsTheKnownOnes()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("kind = \"lj\"", "kind = \"buckingham\""));
        AssertConfigError(run, "[potential].kind", "buckingham", "\"lj\"", "\"table\"");
    }

    [Fact]
    public void WrongValueTypeIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("steps = 600", "steps = \"many\""));
        AssertConfigError(run, "[run].steps", "integer");
    }

    [Fact]
    public void NveWithoutAnyTemperatureAsksForOne()
    {
        var run = RunConfig(Cli.SmallConfig(integrator: "nve").Replace("temperature = 1.5", "").Replace("tdamp = 0.5", ""));
        AssertConfigError(run, "[system].temperature");
    }

    [Fact]
    public void DivergedRunExitsWithItsCodeAndLeavesReadableFiles()
    {
        // dt = 0.05 τ is ten times too long for LJ at T = 1.5: the energy blows up within a few hundred steps.
        var run = RunConfig(Cli.SmallConfig(equilibrate: 0, steps: 2000, integrator: "nve", dt: 0.05).Replace("tdamp = 0.5", ""));
        Assert.Equal(ExitCodes.Diverged, run.ExitCode);
        var line = run.Stderr.TrimEnd();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: the simulation diverged at step", line);
        Assert.Contains("reduce the time step", line);

        var thermo = File.ReadAllLines(Path.Combine(_folder.Path, "out", "thermo.csv"));
        Assert.Equal(ThermoCsvWriter.Header, thermo[1]);
        Assert.True(thermo.Length >= 3);
        Assert.All(thermo.Skip(2), l => Assert.Equal(7, l.Split(',').Length));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "out", "summary.json")));
        Assert.Equal("diverged", summary.RootElement.GetProperty("status").GetString());
        Assert.True(summary.RootElement.GetProperty("steps_completed").GetInt64() < 2000);
    }
}
