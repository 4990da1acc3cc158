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
                var partials = ibi.PairOrder.Select((ab, q) => new RdfPlots.Partial($"{ibi.TypeNames[ab.A]}-{ibi.TypeNames[ab.B]}", last.Rdfs[k][q], s.Target[q]));
                RdfPlots.WriteRdf(Path.Combine(dir, $"rdf_{s.Name}.png"), $"state {s.Name}: T = {s.Temperature}, IBI iteration {last.Iteration}", "IBI", r, partials);
            }
        }

        RdfPlots.WritePotential(Path.Combine(dir, "potential.png"),
            ibi.PairOrder.Select(ab => ($"{ibi.TypeNames[ab.A]}-{ibi.TypeNames[ab.B]}", ibi.Knots(ab.A, ab.B).ToArray(), ibi.Potential(ab.A, ab.B))));
    }
}
