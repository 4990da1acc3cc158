using DiffSim.Cli.Building;
using DiffSim.Cli.Config;

namespace DiffSim.Tests.Cli;

/// <summary>
/// Every config shipped in examples/ passes the readers' checks and builds (targets read, systems made), so that a
/// stricter check never leaves an example that no longer runs.
/// </summary>
public class ShippedConfigTests
{
    public static TheoryData<string> FitConfigs() => new(Shipped("fit*.toml"));

    public static TheoryData<string> IbiConfigs() => new(Shipped("ibi*.toml"));

    [Theory]
    [MemberData(nameof(FitConfigs))]
    public void EveryShippedFitConfigBuilds(string path)
    {
        var fit = FitBuilder.Build(FitConfig.Load(path));
        Assert.NotEmpty(fit.States);
    }

    [Theory]
    [MemberData(nameof(IbiConfigs))]
    public void EveryShippedIbiConfigLoads(string path) => Assert.NotEmpty(IbiConfig.Load(path).Fit.States);

    private static IEnumerable<string> Shipped(string pattern)
        => Directory.GetDirectories(RepoPaths.Get("examples")).SelectMany(d => Directory.GetFiles(d, pattern)).Order(StringComparer.Ordinal);

    [Fact]
    public void AMixturesLammpsRdfFileServesAsTargetOnceItsColumnsAreNamedByTypePair()
    {
        using var dir = new TempFolder();
        var example = File.ReadAllText(RepoPaths.Get("examples", "ka-mixture", "fit.toml"))
            .Replace("../../reference", RepoPaths.Get("reference").Replace("\\", "/")).Replace("rdf.csv", "rdf.lammps");
        // LAMMPS numbers the partials g1, g2, g3: without names they match no type pair, and the message says how.
        var unnamed = Assert.Throws<ConfigException>(() => FitBuilder.Build(FitConfig.Load(dir.Write("a.toml", example))));
        Assert.Contains("target_pairs", unnamed.Message);

        var named = example.Replace("rdf.lammps\"", "rdf.lammps\"\ntarget_pairs = [[\"A\", \"A\"], [\"A\", \"B\"], [\"B\", \"B\"]]");
        var fit = FitBuilder.Build(FitConfig.Load(dir.Write("b.toml", named)));
        var csv = FitBuilder.Build(FitConfig.Load(RepoPaths.Get("examples", "ka-mixture", "fit.toml")));
        // The same partials as the CSV the example uses (made from the same LAMMPS run), column for column.
        for (var k = 0; k < fit.States.Count; k++)
            for (var p = 0; p < 3; p++)
            {
                var (a, b) = (fit.States[k].Targets[p]!, csv.States[k].Targets[p]!);
                var inRange = Enumerable.Range(0, a.Length).Where(i => !double.IsNaN(a[i])).ToList();
                Assert.NotEmpty(inRange);
                Assert.All(inRange, i => Assert.Equal(b[i], a[i], 0.05));
            }
    }

    [Fact]
    public void EachStatePointMayHaveItsOwnSubTable()
    {
        // [state.fractions] under each [[state]] is valid TOML (each belongs to its array element), not a table twice.
        using var dir = new TempFolder();
        var example = File.ReadAllText(RepoPaths.Get("examples", "ka-mixture", "fit.toml"))
            .Replace("../../reference", RepoPaths.Get("reference").Replace("\\", "/"))
            .Replace("fractions = { A = 0.5, B = 0.5 }\n", "")
            .Replace("ka80_20_rho1.2_T1.5/rdf.csv\"\n", "ka80_20_rho1.2_T1.5/rdf.csv\"\n[state.fractions]\nA = 0.8\nB = 0.2\n")
            .Replace("ka50_50_rho1.2_T1.5/rdf.csv\"\n", "ka50_50_rho1.2_T1.5/rdf.csv\"\n[state.fractions]\nA = 0.5\nB = 0.5\n");
        Assert.Equal(2, example.Split("[state.fractions]").Length - 1);
        var config = FitConfig.Load(dir.Write("fit.toml", example));
        Assert.Equal([0.8, 0.5], config.States.Select(s => s.Fractions!["A"]));
    }
}
