using ScottPlot;

namespace DiffSim.Cli.Running;

/// <summary>The PNG plots that fit and IBI share: a state's g(r) against its target, and the pair potentials.</summary>
public static class RdfPlots
{
    /// <summary>One partial: its name (e.g. "A-B"), the model's g on the bins, and the target on the same bins (NaN outside the compared range).</summary>
    public sealed record Partial(string Name, double[] G, double[]? Target);

    /// <summary>g(r) of each partial as a line (labelled <paramref name="model"/>) and its target as points.</summary>
    public static void WriteRdf(string path, string title, string model, double[] r, IEnumerable<Partial> partials)
    {
        var plot = new Plot();
        foreach (var p in partials)
        {
            var line = plot.Add.Scatter(r, p.G);
            line.LegendText = $"{model} {p.Name}";
            line.MarkerSize = 0;
            if (p.Target is not { } t) continue;
            var keep = Enumerable.Range(0, r.Length).Where(k => double.IsFinite(t[k])).ToArray();
            var target = plot.Add.Scatter(keep.Select(k => r[k]).ToArray(), keep.Select(k => t[k]).ToArray());
            target.LegendText = $"target {p.Name}";
            target.LineWidth = 0;
            target.MarkerSize = 4;
        }
        plot.Title(title);
        plot.XLabel("r");
        plot.YLabel("g(r)");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }

    /// <summary>u(r) of each type pair, the energy axis clipped to ±3 so the well stays visible next to the core.</summary>
    public static void WritePotential(string path, IEnumerable<(string Name, double[] R, double[] U)> pairs)
    {
        var plot = new Plot();
        foreach (var (name, r, u) in pairs)
        {
            var line = plot.Add.Scatter(r, u);
            line.MarkerSize = 0;
            line.LegendText = name;
        }
        plot.Axes.SetLimitsY(-3, 3);
        plot.XLabel("r");
        plot.YLabel("u(r)");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}
