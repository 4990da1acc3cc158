using System.Globalization;
using System.Text.Json;
using DiffSim.Observables;

namespace DiffSim.Tests.Cli;

/// <summary>One small liquid run through the whole command, shared by the assertions below.</summary>
public sealed class SmallLiquidRun : IDisposable
{
    internal TempFolder Folder { get; } = new();

    internal CliRun Result { get; }

    public const long Equilibrate = 300;
    public const long Steps = 600;

    public SmallLiquidRun()
    {
        var config = Folder.Write("liquid.toml", Cli.SmallConfig(Equilibrate, Steps, "trajectory = \"xyz\"\ntrajectory_every = 300"));
        Result = Cli.Run("simulate", config);
    }

    public string Output(string name) => Path.Combine(Folder.Path, "out", name);

    public void Dispose() => Folder.Dispose();
}

public sealed class SimulateEndToEndTests(SmallLiquidRun run) : IClassFixture<SmallLiquidRun>
{
    [Fact]
    public void RunSucceedsAndReportsThroughput()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.Stderr);
        Assert.Equal("", run.Result.Stderr);
        Assert.Contains("atom-steps/s", run.Result.Stdout);
        Assert.Contains("production", run.Result.Stdout);
        Assert.Contains(Path.Combine(run.Folder.Path, "out"), run.Result.Stdout);
    }

    [Fact]
    public void ThermoCsvHasHeaderUnitsAndOneRowPerThermoStep()
    {
        var lines = File.ReadAllLines(run.Output("thermo.csv"));
        Assert.StartsWith("# units lj", lines[0]);
        Assert.Equal("step,temperature,pe,ke,etotal,pressure,conserved", lines[1]);
        var rows = lines.Skip(2).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        // Step 0 then every 20 steps through equilibration and production.
        Assert.Equal(1 + (int)((SmallLiquidRun.Equilibrate + SmallLiquidRun.Steps) / 20), rows.Count);
        Assert.Equal(Enumerable.Range(0, rows.Count).Select(k => 20.0 * k), rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(7, r.Length));
        Assert.All(rows, r => Assert.Equal(r[2] + r[3], r[4], 1e-9));
        // Step 0 of fcc LJ at ρ = 0.8442, cut 2.5 unshifted: LAMMPS bench/in.lj gives −6.7733681 per atom.
        Assert.Equal(-6.7733681, rows[0][2], 1e-6);
        Assert.Equal(1.5, rows[0][1], 9);
    }

    [Fact]
    public void RdfIsZeroInsideTheCoreAndTendsToOneAtLargeR()
    {
        var lines = File.ReadAllLines(run.Output("rdf.csv"));
        Assert.StartsWith("#", lines[0]);
        Assert.Equal("r,g_A_A", lines[1]);
        var rows = lines.Skip(2).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(66, rows.Count);
        Assert.Equal(0.025, rows[0][0], 12);
        Assert.All(rows.Where(r => r[0] < 0.8), r => Assert.Equal(0.0, r[1]));
        var peak = rows.MaxBy(r => r[1])!;
        Assert.InRange(peak[0], 1.0, 1.2);
        Assert.InRange(peak[1], 2.0, 4.0);
        var tail = rows.Where(r => r[0] > 2.6).Select(r => r[1]).ToList();
        Assert.InRange(tail.Average(), 0.93, 1.07);
    }

    [Fact]
    public void SummaryJsonHasAveragesErrorsAndRunInfo()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(run.Output("summary.json")));
        var root = doc.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("lj", root.GetProperty("units").GetProperty("system").GetString());
        Assert.Equal(256, root.GetProperty("atoms").GetInt32());
        Assert.Equal(SmallLiquidRun.Equilibrate, root.GetProperty("equilibration_steps").GetInt64());
        Assert.Equal(SmallLiquidRun.Steps, root.GetProperty("production_steps").GetInt64());
        Assert.Equal(SmallLiquidRun.Equilibrate + SmallLiquidRun.Steps, root.GetProperty("steps_completed").GetInt64());
        Assert.True(root.GetProperty("wall_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("atom_steps_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("list_builds").GetInt32() > 1);
        Assert.Equal("double", root.GetProperty("precision").GetString());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("kernel_path").GetString()));

        var averages = root.GetProperty("averages");
        foreach (var column in ThermoSample.Columns)
        {
            var a = averages.GetProperty(column);
            Assert.True(double.IsFinite(a.GetProperty("mean").GetDouble()), column);
            Assert.True(a.GetProperty("stderr").GetDouble() >= 0, column);
            // Production only: samples at steps 320, 340, ..., 900.
            Assert.Equal((int)(SmallLiquidRun.Steps / 20), a.GetProperty("samples").GetInt32());
        }
        var t = averages.GetProperty("temperature");
        Assert.Equal(1.5, t.GetProperty("mean").GetDouble(), 0.15);
        Assert.Equal("ε/k_B", t.GetProperty("unit").GetString());
        // The production average excludes equilibration: it matches the thermo.csv rows after step 300.
        var rows = File.ReadAllLines(run.Output("thermo.csv")).Skip(2).Select(l => l.Split(',')).Where(r => long.Parse(r[0], CultureInfo.InvariantCulture) > SmallLiquidRun.Equilibrate).ToList();
        Assert.Equal(rows.Average(r => double.Parse(r[2], CultureInfo.InvariantCulture)), averages.GetProperty("pe").GetProperty("mean").GetDouble(), 1e-9);
    }

    [Fact]
    public void TrajectoryHasOneFramePerIntervalOfProduction()
    {
        var lines = File.ReadAllLines(run.Output("trajectory.xyz"));
        Assert.Equal(2 * (256 + 2), lines.Length);
        Assert.Equal("256", lines[0]);
        Assert.Contains("Properties=species:S:1:pos:R:3:velo:R:3", lines[1]);
        Assert.Contains("Step=600", lines[1]);
        Assert.Contains("Step=900", lines[258 + 1]);
    }
}
