using DiffSim.Forces;
using DiffSim.Neighbours;

namespace DiffSim.Bench;

/// <summary>Where a step's time goes: list build versus force evaluation, per precision, on in.lj (<c>profile [--cells C]</c>).</summary>
internal static class Profile
{
    public static int Run(string[] args)
    {
        var k = Array.IndexOf(args, "--cells");
        var cells = k >= 0 ? int.Parse(args[k + 1]) : 20;
        foreach (var precision in new[] { Precision.Float, Precision.Double })
        {
            var state = InLj.Crystal(cells);
            InLj.Jiggle(state);
            var ff = InLj.ForceField(precision);
            ff.Compute(state);
            var list = ff.Clusters;
            var build = ProcessorTime.Best(5, () => list.Build(state));
            var check = ProcessorTime.Best(20, () => list.NeedsRebuild(state));
            var force = ProcessorTime.Best(20, () => ff.Compute(state));
            var n = state.Count;
            var slots = 4.0 * list.IClusterCount;
            var pairSlots = (double)list.EntryCount * ClusterPairList.IClusterSize * list.JClusterSize;
            Console.WriteLine($"{precision,-6} N={n} build {build * 1e3:F2} ms, rebuild check {check * 1e3:F3} ms, force {force * 1e3:F2} ms ({1e9 * force / n:F0} ns/atom); " +
                $"slots/atom {slots / n:F3}, entries/i-cluster {(double)list.EntryCount / list.IClusterCount:F1}, pair slots/atom {pairSlots / n:F1}");
        }
        return 0;
    }
}
