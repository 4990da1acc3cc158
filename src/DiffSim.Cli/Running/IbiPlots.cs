using DiffSim.Training;
using ScottPlot;

namespace DiffSim.Cli.Running;

/// <summary>PNG plots of an IBI run: RMS error of g per iteration and state, each state's final g against its target, and the potential.</summary>
public static class IbiPlots
{
    public static void Write(string dir, IterativeBoltzmannInversion ibi, IReadOnlyList<IbiIteration> iterations)
    {
        if (iterations.Count > 0)
        {
            var rms = new Plot();
            for (var k = 0; k < ibi.States.Count; k++)
            {
                var line = rms.Add.Scatter(iterations.Select(i => (double)i.Iteration).ToArray(), iterations.Select(i => Math.Log10(Math.Max(i.RmsErrors[k], 1e-12))).ToArray());
                line.LegendText = ibi.States[k].Name;
            }
            rms.XLabel("iteration");
            rms.YLabel("log10 RMS error of g(r)");
            rms.ShowLegend();
            rms.SavePng(Path.Combine(dir, "rms.png"), 800, 500);

            var last = iterations[^1];
            var r = ibi.Centres.ToArray();
            for (var k = 0; k < ibi.States.Count; k++)
            {
                var s = ibi.States[k];
                var plot = new Plot();
                for (var q = 0; q < ibi.PairOrder.Count; q++)
                {
                    var (a, b) = ibi.PairOrder[q];
                    var name = $"{ibi.TypeNames[a]}-{ibi.TypeNames[b]}";
                    var sim = plot.Add.Scatter(r, last.Rdfs[k][q]);
                    sim.LegendText = $"IBI {name}";
                    sim.MarkerSize = 0;
                    var t = s.Target[q];
                    var keep = Enumerable.Range(0, r.Length).Where(j => double.IsFinite(t[j])).ToArray();
                    var target = plot.Add.Scatter(keep.Select(j => r[j]).ToArray(), keep.Select(j => t[j]).ToArray());
                    target.LegendText = $"target {name}";
                    target.LineWidth = 0;
                    target.MarkerSize = 4;
                }
                plot.Title($"state {s.Name}: T = {s.Temperature}, IBI iteration {last.Iteration}");
                plot.XLabel("r");
                plot.YLabel("g(r)");
                plot.ShowLegend();
                plot.SavePng(Path.Combine(dir, $"rdf_{s.Name}.png"), 800, 500);
            }
        }

        var pot = new Plot();
        foreach (var (a, b) in ibi.PairOrder)
        {
            var line = pot.Add.Scatter(ibi.Knots(a, b).ToArray(), ibi.Potential(a, b));
            line.MarkerSize = 0;
            line.LegendText = $"{ibi.TypeNames[a]}-{ibi.TypeNames[b]}";
        }
        pot.Axes.SetLimitsY(-3, 3);
        pot.XLabel("r");
        pot.YLabel("u(r)");
        pot.ShowLegend();
        pot.SavePng(Path.Combine(dir, "potential.png"), 800, 500);
    }
}
