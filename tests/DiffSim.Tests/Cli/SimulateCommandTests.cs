using System.Globalization;
using DiffSim.Cli.Commands;
using DiffSim.Cli.Config;
using DiffSim.IO;
using DiffSim.Potentials;

namespace DiffSim.Tests.Cli;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void HelpStatesTheUnits()
    {
        var run = Cli.Run("simulate", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("kcal/mol", run.Stdout);
        Assert.Contains("ε/k_B", run.Stdout);
        Assert.Contains("per particle", run.Stdout);
    }

    [Fact]
    public void BuiltInExampleIsPrintedAndIsAValidConfig()
    {
        var run = Cli.Run("simulate", "--example");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("[potential]", run.Stdout);
        var config = SimulateConfig.Parse(run.Stdout, new ConfigSource("example", _folder.Path));
        Assert.Equal(500, 4 * config.Model.System.Cells!.Aggregate(1, (a, b) => a * b));
        Assert.Equal(0.8442, config.Model.System.Density);
        Assert.Equal(IntegratorKind.NoseHoover, config.Model.Integrator.Kind);
        Assert.Equal(Path.Combine(_folder.Path, "diffsim-out", "simulate"), config.Output.Directory);
    }

    [Fact]
    public void OutputOptionOverridesTheConfigFolderAndRelativePathsResolveAgainstTheConfig()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_folder.Path, "runs")).FullName;
        var config = Path.Combine(sub, "c.toml");
        File.WriteAllText(config, Cli.SmallConfig(equilibrate: 0, steps: 20));
        var viaConfig = Cli.Run("simulate", config);
        Assert.True(viaConfig.ExitCode == 0, viaConfig.Stderr);
        Assert.True(File.Exists(Path.Combine(sub, "out", "thermo.csv")));

        var other = Path.Combine(_folder.Path, "elsewhere");
        var viaOption = Cli.Run("simulate", config, "--output", other);
        Assert.True(viaOption.ExitCode == 0, viaOption.Stderr);
        Assert.True(File.Exists(Path.Combine(other, "summary.json")));
    }

    [Fact]
    public void TablePotentialFromALammpsFileMatchesTheAnalyticOne()
    {
        // LJ tabulated finely from 0.8σ to 2.5σ, so the spline and the analytic form agree closely at step 0.
        var lj = new LennardJones(1.0, 1.0);
        var r = Enumerable.Range(0, 2001).Select(k => 0.8 + k * (2.5 - 0.8) / 2000).ToArray();
        using (var w = new StreamWriter(_folder.File("lj.table")))
            LammpsTable.Write(w, "LJ", r, r.Select(lj.Energy).ToArray(), r.Select(x => -lj.Derivative(x)).ToArray(), "LJ ε = σ = 1");

        var analytic = _folder.Write("lj.toml", Cli.SmallConfig(equilibrate: 0, steps: 20).Replace("dir = \"out\"", "dir = \"out-lj\""));
        var table = _folder.Write("table.toml", Cli.SmallConfig(equilibrate: 0, steps: 20)
            .Replace("kind = \"lj\"", "kind = \"table\"")
            .Replace("epsilon = 1.0\nsigma = 1.0", "file = \"lj.table\"\nkeyword = \"LJ\"")
            .Replace("dir = \"out\"", "dir = \"out-table\""));
        Assert.Equal(0, Cli.Run("simulate", analytic).ExitCode);
        var tableRun = Cli.Run("simulate", table);
        Assert.True(tableRun.ExitCode == 0, tableRun.Stderr);

        double Pe0(string dir) => double.Parse(File.ReadAllLines(Path.Combine(_folder.Path, dir, "thermo.csv"))[2].Split(',')[2], CultureInfo.InvariantCulture);
        Assert.Equal(Pe0("out-lj"), Pe0("out-table"), 1e-5);
    }

    [Fact]
    public void BinaryMixtureWritesEveryPairColumn()
    {
        var config = Cli.SmallConfig(equilibrate: 0, steps: 20)
            .Replace("types = [{ name = \"A\", mass = 1.0 }]", "types = [{ name = \"A\", mass = 1.0, fraction = 0.8 }, { name = \"B\", mass = 1.0, fraction = 0.2 }]")
            .Replace("[integrator]", "[[potential.pairs]]\ntypes = [\"A\", \"B\"]\nepsilon = 1.5\nsigma = 0.8\n\n"
                + "[[potential.pairs]]\ntypes = [\"B\", \"B\"]\nepsilon = 0.5\nsigma = 0.88\ncutoff = 2.2\n\n[integrator]");
        var run = Cli.Run("simulate", _folder.Write("mix.toml", config));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("r,g_A_A,g_A_B,g_B_B", File.ReadAllLines(Path.Combine(_folder.Path, "out", "rdf.csv"))[1]);
        Assert.Contains("205 A, 51 B", run.Stdout);
    }

    [Fact]
    public void RandomStartWithLangevinAndLammpsDumpRuns()
    {
        var config = Cli.SmallConfig(equilibrate: 0, steps: 40, integrator: "langevin", extra: "trajectory = \"lammps\"\ntrajectory_every = 20")
            .Replace("lattice = \"fcc\"\ncells = [4, 4, 4]\ndensity = 0.8442", "lattice = \"random\"\ncount = 200\ndensity = 0.5\nmin_distance = 0.95")
            .Replace("tdamp = 0.5", "tdamp = 0.5\nseed = 11");
        var run = Cli.Run("simulate", _folder.Write("random.toml", config));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var dump = File.ReadAllLines(Path.Combine(_folder.Path, "out", "trajectory.lammpstrj"));
        Assert.Equal(2 * (9 + 200), dump.Length);
        Assert.Equal("20", dump[1]);
        Assert.Equal("ITEM: ATOMS id type x y z vx vy vz", dump[8]);
    }
}
