using DiffSim.Cli.Building;
using DiffSim.Training;
using ScottPlot;

namespace DiffSim.Cli.Running;

/// <summary>PNG plots of a fit: the loss per epoch, each state's RDF against its target, and the fitted potential.</summary>
public static class FitPlots
{
    /// <param name="epochs">The epochs of the whole run (train.csv's, resumed parts included), and <paramref name="totals"/> their total losses.</param>
    public static void Write(string dir, BuiltFit fit, IReadOnlyList<StateEvaluation> evaluations, double[] epochs, double[] totals)
    {
        if (epochs.Length > 0)
        {
            var loss = new Plot();
            loss.Add.Scatter(epochs, totals.Select(t => Math.Log10(Math.Max(t, 1e-300))).ToArray());
            loss.XLabel("epoch");
            loss.YLabel("log10 loss");
            loss.SavePng(Path.Combine(dir, "loss.png"), 800, 500);
        }

        foreach (var e in evaluations)
        {
            var s = e.State;
            var partials = s.Rdf.PairOrder.Select((ab, q) => new RdfPlots.Partial($"{fit.TypeNames[ab.A]}-{fit.TypeNames[ab.B]}", e.G[q], e.Target[q]));
            RdfPlots.WriteRdf(Path.Combine(dir, $"rdf_{s.Config.Name}.png"), $"state {s.Config.Name}: T = {s.Config.Temperature}", "DiffSim", e.Centres, partials);
        }

        var field = fit.States[0].Point.Field;
        var pairs = new List<(string, double[], double[])>();
        for (var a = 0; a < field.TypeCount; a++)
            for (var b = a; b < field.TypeCount; b++)
            {
                var rc = field.Cutoff(a, b);
                var rs = Enumerable.Range(0, 400).Select(k => 0.8 + (rc - 0.8) * k / 399.0).ToArray();
                pairs.Add(($"{fit.TypeNames[a]}-{fit.TypeNames[b]}", rs, rs.Select(x => field.PairEnergy(a, b, x, out _) - field.EnergyShift(a, b)).ToArray()));
            }
        RdfPlots.WritePotential(Path.Combine(dir, "potential.png"), pairs);
    }
}
