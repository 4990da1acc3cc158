using DiffSim.Forces;

namespace DiffSim.Bench;

/// <summary>
/// Where a step's time goes: list build versus force evaluation (with energy and virial, and forces alone; from the
/// full list, which also prunes, and from the pruned list), per precision, on in.lj (<c>profile [--cells C] [--prune B] [--density D]</c>),
/// in processor time. <c>--cells 4 --density 0.3</c> is the training bench's forward system (256 atoms, 3 list cells a side).
/// </summary>
internal static class Profile
{
    /// <summary>Below this many atoms the times are printed in microseconds.</summary>
    private const int SmallSystem = 10_000;

    public static int Run(string[] args)
    {
        var k = Array.IndexOf(args, "--cells");
        var cells = k >= 0 ? int.Parse(args[k + 1]) : 20;
        var b = Array.IndexOf(args, "--prune");
        if (b >= 0) InLj.PruneBuffer = double.Parse(args[b + 1], System.Globalization.CultureInfo.InvariantCulture);
        var d = Array.IndexOf(args, "--density");
        var density = d >= 0 ? double.Parse(args[d + 1], System.Globalization.CultureInfo.InvariantCulture) : InLj.Density;
        foreach (var precision in new[] { Precision.Float, Precision.Double })
        {
            var state = InLj.Crystal(cells, density: density);
            InLj.Jiggle(state);
            var ff = InLj.ForceField(precision);
            ff.Compute(state);
            var list = ff.Neighbours;
            var n = state.Count;
            // A small system's call lasts microseconds, near the processor clock's resolution: each sample times a
            // batch of calls (about 32,000 atoms' worth), and the best of the samples is divided by the batch.
            var batch = Math.Max(1, 32_000 / n);
            double PerCall(int repeat, Action action) => ProcessorTime.Best(repeat, () => { for (var c = 0; c < batch; c++) action(); }) / batch;
            var build = PerCall(5, () => list.Build(state));
            var check = PerCall(20, () => list.NeedsRebuild(state));
            var force = PerCall(20, () => ff.Compute(state));
            // Unmoved positions are evaluated from the full list (and pruned again); moved a little, from the pruned list.
            var alone = PerCall(20, () => ff.ComputeForces(state));
            state.X[0] += 1e-6;
            var pruned = PerCall(20, () => ff.ComputeForces(state));
            string Time(double seconds) => n < SmallSystem ? $"{seconds * 1e6:F1} µs" : $"{seconds * 1e3:F3} ms";
            Console.WriteLine($"{precision,-6} N={n} build {Time(build)}, rebuild check {Time(check)}, force {Time(force)} ({1e9 * force / n:F0} ns/atom), forces alone {Time(alone)}, " +
                $"from the pruned list {Time(pruned)}; list entries/atom {(double)list.EntryCount / n:F1} (padded to {list.Padding}), pruned {(double)ff.PrunedEntryCount / n:F1}, images/atom {(double)list.ImageCount / n:F2}");
        }
        return 0;
    }
}
