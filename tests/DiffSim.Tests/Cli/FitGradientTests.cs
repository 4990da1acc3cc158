using System.Globalization;
using DiffSim.Adjoint;
using DiffSim.Cli.Building;
using DiffSim.Cli.Config;
using DiffSim.Observables;

namespace DiffSim.Tests.Cli;

/// <summary>
/// The gradient of a window of a fit built from a config, with every loss term the CLI offers (the RDF, a VACF target
/// interpolated onto the simulation's lags, pressure and energy), against central finite differences of the same
/// built window. WCA is continuous with its force at its cutoff, so no pair crossing it makes the loss kink.
/// </summary>
public class FitGradientTests
{
    private const int Window = 40;
    private const int SampleEvery = 5;

    [Fact]
    public void BuiltWindowWithEveryTermMatchesFiniteDifferences()
    {
        using var dir = new TempFolder();
        // A VACF target on another grid than the simulation's lags, so the loss reads it interpolated.
        var vacf = dir.Write("vacf.csv", "t,C\n" + string.Concat(Enumerable.Range(0, 30).Select(k =>
            string.Create(CultureInfo.InvariantCulture, $"{0.0071 * k},{3.6 * Math.Exp(-0.0071 * k / 0.3)}\n"))));
        var text = Cli.LjFitModel(Cli.LjTarget, stateExtra: $"pressure = 0.2\npressure_weight = 2\nenergy = 0.3\nenergy_scale = 0.5\nvacf_target = \"{vacf.Replace("\\", "/")}\"\nvacf_weight = 0.5")
            .Replace("kind = \"lj\"", "kind = \"wca\"").Replace("cutoff = 2.5", "cutoff = 1.3").Replace("shift = true", "shift = false")
            + $"""
            [train]
            window = {Window}
            sample_every = {SampleEvery}
            threads = 1
            [rdf]
            bins = 120
            rmax = 3.0
            width = 0.03
            loss_rmin = 0.8
            """;
        var built = FitBuilder.Build(FitConfig.Parse(text, new ConfigSource(dir.File("fit.toml"), dir.Path)));
        var point = built.States[0].Point;
        Assert.Contains(point.Observables, o => o is DifferentiableVacf);
        Assert.Contains(point.Observables, o => o is DifferentiableThermo);
        new Simulation(point.State, point.Field, point.Integrator).Run(400);
        var start = point.State.Clone();
        var gradient = new WindowGradient(point.Field, point.Integrator);
        WindowResult Run(double[] theta)
        {
            point.Field.SetParameters(theta);
            return gradient.Run(start.Clone(), Window, SampleEvery, point.Observables, point.Loss, CheckpointPolicy.StoreAll);
        }

        double[] theta = [1.0, 1.0];
        var adjoint = Run(theta).ParameterGradient;
        for (var p = 0; p < theta.Length; p++)
        {
            var h = 1e-5 * theta[p];
            var plus = (double[])theta.Clone(); plus[p] += h;
            var minus = (double[])theta.Clone(); minus[p] -= h;
            var fd = (Run(plus).Loss - Run(minus).Loss) / (2 * h);
            Assert.True(Math.Abs(fd) > 1e-3, $"{built.ParameterNames[p]}: the loss barely depends on it ({fd:R})");
            Assert.True(Math.Abs(adjoint[p] - fd) <= 1e-6 * Math.Abs(fd),
                $"{built.ParameterNames[p]}: adjoint {adjoint[p]:R} vs finite difference {fd:R} (relative {Math.Abs(adjoint[p] - fd) / Math.Abs(fd):E2})");
        }
    }
}
