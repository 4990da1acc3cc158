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

    [Fact]
    public void UnknownKeyInATableIsNamedWithItsTableAndASuggestion()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("density = 0.8442", "densty = 0.8442"));
        Cli.AssertConfigError(run, "\"densty\"", "[system]", "did you mean \"density\"");
    }

    [Fact]
    public void UnknownTopLevelKeyIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("[integrator]", "[integrater]"));
        Cli.AssertConfigError(run, "\"integrater\"", "top level", "did you mean \"integrator\"");
    }

    [Fact]
    public void UnknownPotentialParameterIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("epsilon = 1.0", "epsilonn = 1.0"));
        Cli.AssertConfigError(run, "\"epsilonn\"", "[[potential.pairs]] #1");
    }

    [Fact]
    public void UnknownKeyInRunTableIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("threads = 1", "threads = 1\nstpes = 5"));
        Cli.AssertConfigError(run, "\"stpes\"", "[run]");
    }

    [Fact]
    public void MissingParameterIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("sigma = 1.0", ""));
        Cli.AssertConfigError(run, "[[potential.pairs]] #1 sigma", "missing");
    }

    [Fact]
    public void MissingTypePairIsNamedWithTheFix()
    {
        var config = Cli.SmallConfig()
            .Replace("types = [{ name = \"A\", mass = 1.0 }]", "types = [{ name = \"A\", mass = 1.0, fraction = 0.8 }, { name = \"B\", mass = 1.0, fraction = 0.2 }]")
            .Replace("[integrator]", "[[potential.pairs]]\ntypes = [\"B\", \"B\"]\nepsilon = 0.5\nsigma = 0.88\n\n[integrator]");
        var run = RunConfig(config);
        Cli.AssertConfigError(run, "[\"A\", \"B\"]", "[[potential.pairs]]");
    }

    [Fact]
    public void PairBlocksSplitByAnotherTableAreRefusedRatherThanDropped()
    {
        var run = RunConfig(Cli.SmallConfig() + "\n[[potential.pairs]]\ntypes = [\"A\", \"A\"]\nepsilon = 1.0\nsigma = 1.0\n");
        Cli.AssertConfigError(run, "[[potential.pairs]]", "config.toml:", "keep all [[potential.pairs]] blocks together");
    }

    [Fact]
    public void NegativeDensityIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("density = 0.8442", "density = -0.8442"));
        Cli.AssertConfigError(run, "[system].density", "positive");
    }

    [Fact]
    public void BoxTooSmallForTheCutoffNamesTheCutoffAndTheFix()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("cells = [4, 4, 4]", "cells = [2, 2, 2]"));
        Cli.AssertConfigError(run, "[potential].cutoff", "too small", "more lattice cells");
    }

    [Fact]
    public void RdfRangeBeyondHalfTheBoxIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("rmax = 3.3", "rmax = 5.0"));
        Cli.AssertConfigError(run, "[rdf].rmax");
    }

    [Fact]
    public void MissingTableFileIsNamed()
    {
        var config = Cli.SmallConfig()
            .Replace("kind = \"lj\"", "kind = \"table\"")
            .Replace("epsilon = 1.0\nsigma = 1.0", "file = \"nowhere.table\"\nkeyword = \"LJ\"");
        var run = RunConfig(config);
        Cli.AssertConfigError(run, "[[potential.pairs]] #1 file", "nowhere.table", "not found");
    }

    [Theory]
    [InlineData("sigma = 1.0", "sigma = 0.0", "pair [\"A\", \"A\"]", "sigma must be positive, got 0")]
    [InlineData("sigma = 1.0", "sigma = -1.0", "pair [\"A\", \"A\"]", "sigma must be positive, got -1")]
    [InlineData("cells = [4, 4, 4]", "cells = [900, 900, 900]", "[system].cells", "2,916,000,000 particles")]
    [InlineData("every = 5", "every = 100000", "[rdf].every", "exceeds [run].steps (600)")]
    public void ImpossibleValuesAreNamedBeforeTheRun(string from, string to, string key, string message)
    {
        var run = RunConfig(Cli.SmallConfig().Replace(from, to));
        Cli.AssertConfigError(run, key, message);
    }

    [Fact]
    public void RandomCountBeyondTheLimitSaysSo()
    {
        var config = Cli.SmallConfig().Replace("lattice = \"fcc\"\ncells = [4, 4, 4]", "lattice = \"random\"\ncount = 3000000000");
        Cli.AssertConfigError(RunConfig(config), "[system].count", "must be between 1 and 50000000, got 3000000000");
    }

    [Theory]
    [InlineData("1 0.9 5.0 -60.0\n2 1.0 xx 0.0\n3 1.1 -1.0 8.0\n", "N 3", ":5: the energy \"xx\" is not a finite number")]
    [InlineData("1 0.9 5.0 -60.0\n2 1.0 0.0 -24.0\n3 1.1 -1.0 8.0\n", "N 3", "the table ends at r = 1.1, short of the cutoff 2.5")]
    [InlineData("", "N two", "expected \"N n\" with n at least 2 points")]
    public void AMalformedOrShortTableIsNamedWithItsLine(string rows, string header, string message)
    {
        var table = _folder.Write("pair.table", $"LJ\n{header}\n\n{rows}");
        var config = Cli.SmallConfig().Replace("kind = \"lj\"", "kind = \"table\"").Replace("epsilon = 1.0\nsigma = 1.0", $"file = \"{table.Replace("\\", "/")}\"\nkeyword = \"LJ\"");
        Cli.AssertConfigError(RunConfig(config), "[[potential.pairs]] #1 file", message);
    }

    [Fact]
    public void AKeyOrATableSetTwiceIsRefusedWithBothLines()
    {
        Cli.AssertConfigError(RunConfig(Cli.SmallConfig().Replace("steps = 600", "steps = 600\nsteps = 300")), "[run]: key \"steps\"", "set a second time");
        Cli.AssertConfigError(RunConfig(Cli.SmallConfig() + "\n[system]\ndensity = 0.5\n"), "[system] at ", "defined a second time");
    }

    [Fact]
    public void TypeFractionsThatDoNotSumToOneAreNamed()
    {
        var config = Cli.SmallConfig()
            .Replace("types = [{ name = \"A\", mass = 1.0 }]", "types = [{ name = \"A\", mass = 1.0, fraction = 0.6 }, { name = \"B\", mass = 1.0, fraction = 0.3 }]")
            .Replace("[integrator]", "[[potential.pairs]]\ntypes = [\"A\", \"B\"]\nepsilon = 1.0\nsigma = 1.0\n[[potential.pairs]]\ntypes = [\"B\", \"B\"]\nepsilon = 1.0\nsigma = 1.0\n[integrator]");
        Cli.AssertConfigError(RunConfig(config), "[system].types", "sum to 0.9; they must sum to 1");
    }

    [Fact]
    public void AFolderForTheConfigAndAnEmptyOutputNameAreSaidSo()
    {
        Cli.AssertConfigError(Cli.Run("simulate", _folder.Path), "is a folder, not a file");
        Cli.AssertConfigError(Cli.Run("simulate", _folder.Write("ok.toml", Cli.SmallConfig()), "-o", ""), "--output (-o): the folder name is empty");
        Cli.AssertConfigError(Cli.Run("fit", _folder.File("none.toml")), "run `diffsim fit` with no argument");
    }

    [Fact]
    public void MissingConfigFileIsReported()
    {
        var run = Cli.Run("simulate", _folder.File("absent.toml"));
        Cli.AssertConfigError(run, "absent.toml", "not found");
    }

    [Fact]
    public void MalformedTomlGivesTheLine()
    {
        var run = RunConfig("units = \"lj\"\n[system]\ndensity = = 0.8\n");
        Cli.AssertConfigError(run, "malformed TOML", "config.toml:3:");
    }

    [Fact]
    public void UnknownPotentialKindListsTheKnownOnes()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("kind = \"lj\"", "kind = \"buckingham\""));
        Cli.AssertConfigError(run, "[potential].kind", "buckingham", "\"lj\"", "\"table\"");
    }

    [Fact]
    public void WrongValueTypeIsNamed()
    {
        var run = RunConfig(Cli.SmallConfig().Replace("steps = 600", "steps = \"many\""));
        Cli.AssertConfigError(run, "[run].steps", "integer");
    }

    [Fact]
    public void NveWithoutAnyTemperatureAsksForOne()
    {
        var run = RunConfig(Cli.SmallConfig(integrator: "nve").Replace("temperature = 1.5", "").Replace("tdamp = 0.5", ""));
        Cli.AssertConfigError(run, "[system].temperature");
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

    [Fact]
    public void ARunThatStopsEarlyLeavesNoEarlierRunsRdfBesideItsOwnFiles()
    {
        // An earlier run's rdf.csv in the folder; this run diverges (dt = 0.5) before its first RDF frame (every 500).
        Directory.CreateDirectory(Path.Combine(_folder.Path, "out"));
        File.WriteAllText(Path.Combine(_folder.Path, "out", "rdf.csv"), "r,g_A_A\n1.0,1.0\n");
        var run = RunConfig(Cli.SmallConfig(equilibrate: 0, dt: 0.5).Replace("every = 5", "every = 500"));
        Assert.Equal(ExitCodes.Diverged, run.ExitCode);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "out", "rdf.csv")));
        Assert.True(File.Exists(Path.Combine(_folder.Path, "out", "thermo.csv")));
    }
}
