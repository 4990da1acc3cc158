using DiffSim.Observables;

namespace DiffSim.Tests.Observables;

/// <summary>The reverse pass's table of per-pair slope sums, against the sums over the bin weights' own cubics.</summary>
public class SmearedSlopeTableTests
{
    /// <summary>
    /// For every first bin, every interval and a few positions in it, A + f(B + fC) equals Σ_m c_m (c₁ + 2c₂f + 3c₃f²)
    /// over the row of cubics; and a second set of bins replaces the first (the table is rebuilt, not kept).
    /// </summary>
    [Theory]
    [InlineData(0.0255, 0.0258)] // the training bench's RDF: 12 bins a pair
    [InlineData(0.01, 0.05)]     // wide smearing: 52 bins a pair
    public void TermsEqualTheSumsOverTheCubicsOfEachPairsRow(double binWidth, double sigma)
    {
        var weights = new SmearedBinWeights(binWidth, sigma);
        var table = new SmearedSlopeTable(weights);
        foreach (var seed in new[] { 1, 2 })
        {
            var padded = ObservableSystems.Coefficients(40 + 2 * weights.Span, seed);
            table.Update(padded);
            var worst = 0.0;
            for (var bin = 0; bin + weights.Span <= padded.Length; bin++)
                for (var q = 0; q < weights.Intervals; q++)
                    foreach (var f in new[] { 0.0, 0.37, 0.999 })
                    {
                        var direct = 0.0;
                        for (var lane = 0; lane < weights.Span; lane++)
                        {
                            var at = q * weights.Stride + lane / 4 * 16 + lane % 4;
                            var c = weights.Coefficients;
                            direct += padded[bin + lane] * (c[at + 4] + 2 * c[at + 8] * f + 3 * c[at + 12] * f * f);
                        }
                        var t = 4 * SmearedSlopeTable.Cell(bin, q, weights.Intervals);
                        var terms = table.Terms;
                        worst = Math.Max(worst, Math.Abs(terms[t] + f * (terms[t + 1] + f * terms[t + 2]) - direct));
                    }
            Assert.True(worst < 1e-12, $"slope table error {worst}");
        }
    }
}
