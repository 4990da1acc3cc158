using DiffSim.Forces;

namespace DiffSim.Bench;

/// <summary>
/// Where a step's time goes: list build versus force evaluation (with energy and virial, and forces alone; from the
/// full list, which also prunes, and from the pruned list), per precision, on in.lj (<c>profile [--cells C] [--prune B] [--density D]</c>),
/// in processor time. <c>--cells 4 --density 0.3</c> is the training bench's forward system (256 atoms, 3 list cells a side).
/// </summary>
internal static class Profile
{
    public static int Run(string[] args)
    {
        var k = Array.IndexOf(args, "--cells");
        var cells = k >= 0 ? int.Parse(args[k + 1]) : 20;
        var b = Array.IndexOf(args, "--prune");
        if (b >= 0) InLj.PruneBuffer = double.Parse(args[b + 1], System.Globalization.CultureInfo.InvariantCulture);
        var d = Array.IndexOf(args, "--density");
        var density = d >= 0 ? double.Parse(args[d + 1], System.Globalization.CultureInfo.InvariantCulture) : InLj.Density;
        // Small systems build in microseconds: more repetitions for the best of them.
        var repeat = Math.Max(5, 160_000 / (4 * cells * cells * cells));
        foreach (var precision in new[] { Precision.Float, Precision.Double })
        {
            var state = InLj.Crystal(cells, density: density);
            InLj.Jiggle(state);
            var ff = InLj.ForceField(precision);
            ff.Compute(state);
            var list = ff.Neighbours;
            var build = ProcessorTime.Best(repeat, () => list.Build(state));
            var check = ProcessorTime.Best(20, () => list.NeedsRebuild(state));
            var force = ProcessorTime.Best(20, () => ff.Compute(state));
            // Unmoved positions are evaluated from the full list (and pruned again); moved a little, from the pruned list.
            var alone = ProcessorTime.Best(20, () => ff.ComputeForces(state));
            state.X[0] += 1e-6;
            var pruned = ProcessorTime.Best(20, () => ff.ComputeForces(state));
            var n = state.Count;
            Console.WriteLine($"{precision,-6} N={n} build {build * 1e3:F3} ms, rebuild check {check * 1e3:F3} ms, force {force * 1e3:F2} ms ({1e9 * force / n:F0} ns/atom), forces alone {alone * 1e3:F2} ms, " +
                $"from the pruned list {pruned * 1e3:F2} ms; list entries/atom {(double)list.EntryCount / n:F1} (padded to {list.Padding}), pruned {(double)ff.PrunedEntryCount / n:F1}, images/atom {(double)list.ImageCount / n:F2}");
        }
        return 0;
    }
}
