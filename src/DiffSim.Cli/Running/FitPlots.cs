using DiffSim.Cli.Building;
using DiffSim.Training;
using ScottPlot;

namespace DiffSim.Cli.Running;

/// <summary>PNG plots of a fit: the loss per epoch, each state's RDF against its target, and the fitted potential.</summary>
public static class FitPlots
{
    public static void Write(string dir, BuiltFit fit, IReadOnlyList<StateEvaluation> evaluations, IReadOnlyList<EpochRecord> epochs)
    {
        if (epochs.Count > 0)
        {
            var loss = new Plot();
            loss.Add.Scatter(epochs.Select(e => (double)e.Epoch).ToArray(), epochs.Select(e => Math.Log10(Math.Max(e.TotalLoss, 1e-300))).ToArray());
            loss.XLabel("epoch");
            loss.YLabel("log10 loss");
            loss.SavePng(Path.Combine(dir, "loss.png"), 800, 500);
        }

        foreach (var e in evaluations)
        {
            var s = e.State;
            var plot = new Plot();
            var r = e.Centres;
            for (var q = 0; q < s.Rdf.PartialCount; q++)
            {
                var (a, b) = s.Rdf.PairOrder[q];
                var name = $"{fit.TypeNames[a]}-{fit.TypeNames[b]}";
                var sim = plot.Add.Scatter(r, e.G[q]);
                sim.LegendText = $"DiffSim {name}";
                sim.MarkerSize = 0;
                if (e.Target[q] is { } t)
                {
                    var keep = Enumerable.Range(0, r.Length).Where(k => !double.IsNaN(t[k])).ToArray();
                    var target = plot.Add.Scatter(keep.Select(k => r[k]).ToArray(), keep.Select(k => t[k]).ToArray());
                    target.LegendText = $"target {name}";
                    target.LineWidth = 0;
                    target.MarkerSize = 4;
                }
            }
            plot.Title($"state {s.Config.Name}: T = {s.Config.Temperature}");
            plot.XLabel("r");
            plot.YLabel("g(r)");
            plot.ShowLegend();
            plot.SavePng(Path.Combine(dir, $"rdf_{s.Config.Name}.png"), 800, 500);
        }

        var field = fit.States[0].Point.Field;
        var pot = new Plot();
        for (var a = 0; a < field.TypeCount; a++)
            for (var b = a; b < field.TypeCount; b++)
            {
                var rc = field.Cutoff(a, b);
                var rs = Enumerable.Range(0, 400).Select(k => 0.8 + (rc - 0.8) * k / 399.0).ToArray();
                var us = rs.Select(x => field.PairEnergy(a, b, x, out _)).ToArray();
                var line = pot.Add.Scatter(rs, us);
                line.MarkerSize = 0;
                line.LegendText = $"{fit.TypeNames[a]}-{fit.TypeNames[b]}";
            }
        pot.Axes.SetLimitsY(-3, 3);
        pot.XLabel("r");
        pot.YLabel("u(r)");
        pot.ShowLegend();
        pot.SavePng(Path.Combine(dir, "potential.png"), 800, 500);
    }
}
