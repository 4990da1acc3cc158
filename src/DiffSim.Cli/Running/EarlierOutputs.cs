namespace DiffSim.Cli.Running;

/// <summary>
/// The files a run writes only when it ends (averages, plots, the fitted potential), removed from its folder when a
/// fresh run starts there: a run that stops early (diverged, interrupted) must not leave an earlier run's file beside
/// its own, where it would pass for this run's result. Files written as the run goes are rewritten from the start.
/// </summary>
internal static class EarlierOutputs
{
    public static void Remove(string directory, IEnumerable<string> names)
    {
        foreach (var name in names) File.Delete(Path.Combine(directory, name));
    }

    /// <summary>The end-of-run files of a fit or IBI run over these state points: potential, plots, per-state RDFs and potentials, summary.</summary>
    public static IEnumerable<string> OfAFit(IEnumerable<string> states)
        => new[] { "potential.csv", "potential.table", "potential.png", "loss.png", "rms.png", "summary.json" }
            .Concat(states.SelectMany(s => new[] { $"rdf_{s}.csv", $"rdf_{s}.png", $"potential_{s}.csv", $"potential_{s}.table" }));
}
