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
}
