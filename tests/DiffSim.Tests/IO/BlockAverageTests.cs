using DiffSim.Observables;

namespace DiffSim.Tests.IO;

/// <summary>The block-averaged standard error behind summary.json's "stderr" fields.</summary>
public sealed class BlockAverageTests
{
    [Fact]
    public void IndependentSamplesGiveTheNaiveStandardError()
    {
        var rng = new Random(3);
        var avg = new BlockAverage();
        const int n = 100_000;
        for (var k = 0; k < n; k++) avg.Add(rng.NextDouble());
        // Uniform[0,1): σ² = 1/12.
        var expected = Math.Sqrt(1.0 / 12 / n);
        Assert.Equal(0.5, avg.Mean, 0.005);
        Assert.InRange(avg.StandardError, 0.5 * expected, 1.6 * expected);
    }

    [Fact]
    public void CorrelatedSamplesGiveALargerErrorThanTheNaiveOne()
    {
        // AR(1) with φ = 0.95: the true error is √((1+φ)/(1−φ)) ≈ 6.2 times the naive one.
        var rng = new Random(5);
        var avg = new BlockAverage();
        var x = 0.0;
        const int n = 200_000;
        for (var k = 0; k < n; k++)
        {
            x = 0.95 * x + (rng.NextDouble() - 0.5);
            avg.Add(x);
        }
        var samples = avg.Samples;
        var mean = avg.Mean;
        var naive = Math.Sqrt(samples.Sum(v => (v - mean) * (v - mean)) / (n - 1) / n);
        Assert.InRange(avg.StandardError / naive, 3.5, 9.0);
    }

    [Fact]
    public void EdgeCases()
    {
        var avg = new BlockAverage();
        Assert.True(double.IsNaN(avg.Mean));
        avg.Add(2.0);
        Assert.Equal(2.0, avg.Mean);
        Assert.True(double.IsNaN(avg.StandardError));
        for (var k = 0; k < 20; k++) avg.Add(2.0);
        Assert.Equal(0.0, avg.StandardError);
        Assert.Throws<ArgumentException>(() => new BlockAverage(1));
        // Fewer samples than blocks: each sample is a block.
        Assert.Equal(Math.Sqrt(2.0 / 6), BlockAverage.StandardErrorOf([1.0, 2.0, 3.0]), 12);
    }
}
