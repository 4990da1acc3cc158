using DiffSim.Losses;
using DiffSim.Observables;

namespace DiffSim.Tests.Losses;

public class LossTests
{
    private static double FiniteDifferenceError(IWindowLoss loss, double[] value)
    {
        var gradient = new double[value.Length];
        loss.Evaluate(value, gradient);
        var scratch = new double[value.Length];
        var worst = 0.0;
        var scale = gradient.Max(Math.Abs);
        Assert.True(scale > 0, "degenerate gradient");
        const double h = 1e-6;
        for (var k = 0; k < value.Length; k++)
        {
            var v0 = value[k];
            value[k] = v0 + h; var plus = loss.Evaluate(value, scratch);
            value[k] = v0 - h; var minus = loss.Evaluate(value, scratch);
            value[k] = v0;
            worst = Math.Max(worst, Math.Abs((plus - minus) / (2 * h) - gradient[k]) / scale);
        }
        return worst;
    }

    private static double[] Noisy(double[] x, int seed, double amplitude = 0.3)
    {
        var rng = new Random(seed);
        return x.Select(v => v + amplitude * (2 * rng.NextDouble() - 1)).ToArray();
    }

    private static readonly double[] Centres = Enumerable.Range(0, 20).Select(k => 0.05 + 0.1 * k).ToArray();

    [Fact]
    public void RdfLossIsPerPartialMeanSquaredErrorOverRange()
    {
        var t0 = Centres.Select(r => Math.Sin(r) + 1).ToArray();
        var t2 = Centres.Select(r => r * r).ToArray();
        var loss = new RdfMseLoss(Centres, [t0, null, t2], 0.5, 1.5, partialWeights: [1.0, 1.0, 3.0]);
        Assert.Equal(60, loss.Length);
        Assert.Equal(10, loss.BinsInRange); // centres 0.55 … 1.45

        var value = new double[60];
        t0.CopyTo(value, 0); t2.CopyTo(value, 40);
        value.AsSpan(20, 20).Fill(123); // the unfitted partial
        value[0] = value[19] = value[40] = -7; // outside the range
        var gradient = new double[60];
        Assert.Equal(0, loss.Evaluate(value, gradient));
        Assert.All(gradient, g => Assert.Equal(0, g));

        for (var k = 0; k < 60; k++) value[k] += 0.1;
        // Per partial, 10 bins in range each off by 0.1: MSE 0.01; weights 1 and 3.
        Assert.Equal(0.01 + 3 * 0.01, loss.Evaluate(value, gradient), 12);
        Assert.Equal(2 * 0.1 / 10, gradient[5], 12);
        Assert.Equal(0, gradient[4]);
        Assert.Equal(0, gradient[25]);
        Assert.Equal(3 * 2 * 0.1 / 10, gradient[45], 12);

        Assert.True(FiniteDifferenceError(loss, Noisy(value, 1)) < 1e-8);
    }

    [Fact]
    public void RdfLossWithBinWeightsMatchesFiniteDifferences()
    {
        var rdf = new SmearedRdf(2, 20, 0, 2, 0.05);
        var targets = Enumerable.Range(0, 3).Select(p => Centres.Select(r => Math.Exp(-r) * (p + 1)).ToArray()).ToArray<double[]?>();
        var weights = Centres.Select(r => 1 + r).ToArray();
        var loss = RdfMseLoss.For(rdf, targets, 0.3, 1.9, weights);
        var value = Noisy(targets.SelectMany(t => t!).ToArray(), 4);
        var error = FiniteDifferenceError(loss, value);
        Assert.True(error < 1e-8, $"finite-difference error {error}");
        Assert.Throws<ArgumentException>(() => RdfMseLoss.For(rdf, targets[..2], 0.3, 1.9));
        Assert.Throws<ArgumentException>(() => new RdfMseLoss(Centres, [Centres.Select(_ => double.NaN).ToArray()], 0.3, 1.9));
        Assert.Throws<ArgumentException>(() => new RdfMseLoss(Centres, [targets[0]], 5, 6));
    }

    [Fact]
    public void VacfLossIsMeanSquaredErrorAndMatchesFiniteDifferences()
    {
        double[] target = [1.0, 0.6, 0.2, -0.1, -0.05];
        var loss = new VacfMseLoss(target, [2, 1, 1, 1, 1]);
        var gradient = new double[5];
        Assert.Equal(0, loss.Evaluate(target, gradient));
        Assert.All(gradient, g => Assert.Equal(0, g));
        double[] value = [1.1, 0.6, 0.2, -0.1, -0.25];
        Assert.Equal((2 * 0.01 + 0.04) / 5, loss.Evaluate(value, gradient), 12);
        Assert.True(FiniteDifferenceError(loss, Noisy(target, 2)) < 1e-8);
    }

    [Fact]
    public void ScalarLossIsWeightedSquaredDeviation()
    {
        var loss = new ScalarTargetLoss(target: 2.5, weight: 0.5, scale: 2.0);
        var gradient = new double[1];
        Assert.Equal(0, loss.Evaluate([2.5], gradient));
        Assert.Equal(0, gradient[0]);
        Assert.Equal(0.5 * 0.25, loss.Evaluate([3.5], gradient), 14);
        Assert.Equal(2 * 0.5 * 0.5 / 2.0, gradient[0], 14);
        Assert.True(FiniteDifferenceError(loss, [1.7]) < 1e-8);
        Assert.Throws<ArgumentException>(() => new ScalarTargetLoss(1, scale: 0));
    }
}
