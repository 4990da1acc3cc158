using DiffSim.Adjoint;
using DiffSim.Losses;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Tests.Losses;

public class CompositeLossTests
{
    /// <summary>An observable with a fixed value, to drive a loss without a simulation.</summary>
    private sealed class Fixed(params double[] value) : IWindowObservable
    {
        public int Length => value.Length;
        public int Frames => 1;
        public ReadOnlySpan<double> Value => value;
        public void Reset() { }
        public void Accumulate(int frame, State state) { }
        public void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient) { }
    }

    [Fact]
    public void TermsAddAndKeepTheirValues()
    {
        var rdf = new Fixed(1.0, 2.0, 3.0);
        var thermo = new Fixed(2.5, -1.0);
        var loss = new CompositeLoss([
            new LossTerm("rdf", 0, 0, new WeightedSquaredError([1.5, 2.0, 2.0], [1.0, 0.0, 0.5])),
            new LossTerm("pressure", 1, 0, new ScalarTargetLoss(2.0, weight: 3.0, scale: 0.5)),
            new LossTerm("energy", 1, 1, new ScalarTargetLoss(-1.2, weight: 1.0, scale: 0.1)),
        ]);
        double[][] d = [[9, 9, 9], [9, 9]];
        var total = loss.Evaluate([rdf, thermo], d);
        var terms = loss.LastValues.ToArray();
        Assert.Equal(0.25 + 0.5, terms[0], 1e-12);
        Assert.Equal(3.0, terms[1], 1e-12);
        Assert.Equal(4.0, terms[2], 1e-12);
        Assert.Equal(terms.Sum(), total, 1e-12);
        Assert.Equal([-1.0, 0.0, 1.0], d[0]);
        Assert.Equal(12.0, d[1][0], 1e-12);
        Assert.Equal(40.0, d[1][1], 1e-9);
    }

    [Fact]
    public void TermsOutsideTheirObservableAreRejected()
    {
        var loss = new CompositeLoss([new LossTerm("energy", 0, 1, new ScalarTargetLoss(1.0))]);
        Assert.Throws<ArgumentException>(() => loss.Evaluate([new Fixed(1.0)], [[0.0]]));
        Assert.Throws<ArgumentException>(() => new CompositeLoss([new LossTerm("a", 0, 0, new ScalarTargetLoss(1)), new LossTerm("a", 0, 0, new ScalarTargetLoss(1))]));
    }

    [Fact]
    public void NormalisedVacfLossGradientMatchesFiniteDifferences()
    {
        var target = Enumerable.Range(0, 8).Select(k => Math.Exp(-0.3 * k) * Math.Cos(0.5 * k)).ToArray();
        var loss = new NormalisedVacfMseLoss(target, Enumerable.Range(0, 8).Select(k => 1.0 + 0.1 * k).ToArray());
        var value = Enumerable.Range(0, 8).Select(k => 2.7 * Math.Exp(-0.25 * k) * Math.Cos(0.55 * k)).ToArray();
        var gradient = new double[8];
        var scratch = new double[8];
        loss.Evaluate(value, gradient);
        Assert.Equal(0.0, loss.Evaluate(target.Select(t => 2.7 * t).ToArray(), scratch), 1e-15);
        const double h = 1e-6;
        for (var k = 0; k < 8; k++)
        {
            var v0 = value[k];
            value[k] = v0 + h; var plus = loss.Evaluate(value, scratch);
            value[k] = v0 - h; var minus = loss.Evaluate(value, scratch);
            value[k] = v0;
            var fd = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(fd - gradient[k]) <= 1e-6 * Math.Abs(fd) + 1e-12, $"lag {k}: {gradient[k]:R} vs {fd:R}");
        }
    }
}
