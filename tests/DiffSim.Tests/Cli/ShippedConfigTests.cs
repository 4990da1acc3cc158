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
}
