using DiffSim.Adjoint;
using DiffSim.Observables;
using DiffSim.Systems;
using Xunit.Abstractions;

namespace DiffSim.Tests.Observables;

public class SmearedRdfTests(ITestOutputHelper output)
{
    private static State[] Frames(int count, double amplitude, double fractionB = 0, int cells = 4)
        => Enumerable.Range(0, count).Select(f => ObservableSystems.Jiggled(cells, 0.85, amplitude, 100 + f, fractionB)).ToArray();

    private static double Loss(SmearedRdf rdf, State[] frames, double[] c)
    {
        rdf.Reset();
        for (var f = 0; f < frames.Length; f++) rdf.Accumulate(f, frames[f]);
        var value = rdf.Value;
        var sum = 0.0;
        for (var k = 0; k < c.Length; k++) sum += c[k] * value[k];
        return sum;
    }

    /// <summary>Largest |analytic − central difference| over the coordinates, relative to the largest analytic component.</summary>
    private double FiniteDifferenceError(SmearedRdf rdf, State[] frames, double[] c, int frame, int[] particles, double h = 1e-5)
    {
        Loss(rdf, frames, c);
        var gradient = new PhaseSpaceGradient(frames[frame].Count);
        rdf.Backward(frame, frames[frame], c, gradient);
        var scale = 0.0;
        foreach (var i in particles) scale = Math.Max(scale, Math.Max(Math.Abs(gradient.X[i]), Math.Max(Math.Abs(gradient.Y[i]), Math.Abs(gradient.Z[i]))));
        Assert.True(scale > 1e-3, $"the test gradient is degenerate ({scale})");
        var worst = 0.0;
        var state = frames[frame];
        foreach (var i in particles)
            foreach (var (coordinate, analytic) in new[] { (state.X, gradient.X[i]), (state.Y, gradient.Y[i]), (state.Z, gradient.Z[i]) })
            {
                var x0 = coordinate[i];
                coordinate[i] = x0 + h;
                var plus = Loss(rdf, frames, c);
                coordinate[i] = x0 - h;
                var minus = Loss(rdf, frames, c);
                coordinate[i] = x0;
                var numeric = (plus - minus) / (2 * h);
                worst = Math.Max(worst, Math.Abs(numeric - analytic) / scale);
            }
        output.WriteLine($"finite-difference error (relative to max |∂L/∂x| = {scale:G4}): {worst:E2}");
        return worst;
    }

    [Fact]
    public void NarrowSmearingMatchesPlainHistogram()
    {
        var frames = Frames(6, 0.25);
        const int bins = 60;
        const double rMax = 3.0;
        var histogram = new PairHistogram(bins, rMax, 1);
        var narrow = new SmearedRdf(1, bins, 0, rMax, 1e-4);
        var wide = new SmearedRdf(1, bins, 0, rMax, 0.05);
        for (var f = 0; f < frames.Length; f++)
        {
            histogram.Accumulate(frames[f]);
            narrow.Accumulate(f, frames[f]);
            wide.Accumulate(f, frames[f]);
        }
        var g = histogram.Rdf(frames[0], 0, 0);
        Assert.True(g.Max() > 1.2, "the jiggled lattice should still have a first peak");
        var centres = histogram.Centres();
        for (var k = 0; k < bins; k++) Assert.Equal(centres[k], narrow.Centres[k], 12);
        double narrowError = 0, wideError = 0;
        for (var k = 0; k < bins; k++)
        {
            narrowError = Math.Max(narrowError, Math.Abs(narrow.Value[k] - g[k]));
            wideError = Math.Max(wideError, Math.Abs(wide.Value[k] - g[k]));
        }
        output.WriteLine($"max |g_smeared − g_hist|: σ = 1e-4 {narrowError:E2}, σ = 0.05 {wideError:E2}");
        Assert.True(narrowError < 0.02, $"σ = 1e-4 differs from the histogram by {narrowError}");
        Assert.True(wideError > 0.03, "σ = 0.05 should visibly smooth the histogram (else this test cannot fail)");
    }

    /// <summary>
    /// The window's pairs counted as moments per (first bin, interval) cell and turned into counts once equal the
    /// per-frame sums of each pair's weights, for a mixture's partials and across a change of box between frames
    /// (another normalisation, which flushes the moments counted so far).
    /// </summary>
    [Fact]
    public void MomentsEqualPerPairWeights()
    {
        var frames = Frames(4, 0.2, fractionB: 0.3);
        var moved = ObservableSystems.Jiggled(4, 0.8, 0.2, 200, fractionB: 0.3);
        State[] window = [frames[0], frames[1], moved, frames[2], frames[3]];
        var moments = new SmearedRdf(2, 90, 0.5, 3.0, 0.03);
        var direct = new SmearedRdf(2, 90, 0.5, 3.0, 0.03, momentCells: 0);
        for (var f = 0; f < window.Length; f++)
        {
            moments.Accumulate(f, window[f]);
            direct.Accumulate(f, window[f]);
            if (f == 1) Assert.Equal(direct.Value.ToArray(), moments.Value.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a)));
        }
        var expected = direct.Value.ToArray();
        var actual = moments.Value.ToArray();
        Assert.True(expected.Max() > 1, "the partials should have peaks");
        for (var k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k], 1e-12 * Math.Max(1, Math.Abs(expected[k])));
        moments.Reset();
        moments.Accumulate(0, frames[0]);
        direct.Reset();
        direct.Accumulate(0, frames[0]);
        for (var k = 0; k < expected.Length; k++) Assert.Equal(direct.Value[k], moments.Value[k], 1e-12 * Math.Max(1, Math.Abs(direct.Value[k])));
    }

    [Fact]
    public void SmearingConservesPairCount()
    {
        // Every pair farther than 5σ from both ends of [rMin, rMax] puts total weight exactly 1 into the bins.
        var state = ObservableSystems.Jiggled(4, 0.85, 0.2, 3);
        const double rMin = 0.5, rMax = 3.0, sigma = 0.03;
        var rdf = new SmearedRdf(1, 50, rMin, rMax, sigma);
        rdf.Accumulate(0, state);
        var n = state.Count;
        var smeared = 0.0;
        for (var k = 0; k < rdf.Bins; k++)
        {
            var shell = 4.0 / 3.0 * Math.PI * (Math.Pow(rdf.Edges[k + 1], 3) - Math.Pow(rdf.Edges[k], 3));
            smeared += rdf.Value[k] * n * (n - 1) * shell / state.Box.Volume;
        }
        var histogram = new PairHistogram(1, rMax + 5 * sigma, 1);
        double inside = 0, nearEnds = 0;
        histogram.ForEachPair(state, (_, _, r, _, _, _) =>
        {
            if (r > rMin + 5 * sigma && r < rMax - 5 * sigma) inside++;
            else if (r > rMin - 5 * sigma) nearEnds++;
        });
        Assert.InRange(smeared - inside, 0, nearEnds);
        output.WriteLine($"ordered pairs well inside: {inside}, near the ends: {nearEnds}, smeared total: {smeared:F6}");
    }

    [Fact]
    public void CellListAndAllPairsSearchesFindTheSamePairs()
    {
        // 5³ fcc cells at ρ = 0.85: L = 8.4, so a 2.2 cutoff gives 7 half-cutoff cells per edge (5³ stencil; the cell
        // search where asked for, as all pairs cost less for 500 particles), 3.5 all pairs.
        var state = ObservableSystems.Jiggled(5, 0.85, 0.3, 11);
        foreach (var (cutoff, preferCells) in new[] { (2.2, true), (2.2, false), (3.5, false) })
        {
            var search = new PairSearch { PreferCells = preferCells };
            var visitor = new Collect { Pairs = [] };
            search.ForEachUniquePair(state, cutoff, ref visitor);
            var expected = new HashSet<(int, int)>();
            new PairHistogram(1, cutoff, 1).ForEachPair(state, (i, j, _, _, _, _) => { if (i < j) expected.Add((i, j)); });
            Assert.Equal(expected.Count, visitor.Pairs.Count);
            Assert.True(expected.SetEquals(visitor.Pairs.Select(p => (Math.Min(p.Item1, p.Item2), Math.Max(p.Item1, p.Item2)))));
        }
    }

    private struct Collect : IPairVisitor
    {
        public List<(int, int)> Pairs;
        public readonly void Visit(int i, int j, double r, double dx, double dy, double dz) => Pairs.Add((i, j));
    }

    [Theory]
    [InlineData(1.5, 0.03)] // search cutoff 1.65 on a 5.03 box (108 particles): the cell-list path (6 cells per edge)
    [InlineData(2.2, 0.04)] // search cutoff 2.4: the all-pairs path (5.03 < 2.5 × 2.4)
    public void BackwardMatchesFiniteDifferences(double rMax, double sigma)
    {
        var frames = Frames(3, 0.2, cells: 3);
        var rdf = new SmearedRdf(1, 40, 0.7, rMax, sigma);
        var c = ObservableSystems.Coefficients(rdf.Length, 5);
        var error = FiniteDifferenceError(rdf, frames, c, frame: 1, particles: [0, 17, 55, 107]);
        Assert.True(error < 1e-6, $"finite-difference error {error}");
    }

    /// <summary>
    /// Bins on [1.5, 2.2] are the last 14 of those on [0, 2.2] (Δ = 0.05): the nearest neighbours (r ≈ 1.1), beyond the
    /// smearing's reach of the first bin, must add nothing to the value or the gradient (the kernels send them to a
    /// sink instead of skipping them); a mixture, so that the partial of each placed pair matters too.
    /// </summary>
    [Fact]
    public void PairsOutOfReachOfEveryBinAddNothing()
    {
        var frames = Frames(3, 0.2, fractionB: 0.3, cells: 3);
        var whole = new SmearedRdf(2, 44, 0, 2.2, 0.03);
        var tail = new SmearedRdf(2, 14, 1.5, 2.2, 0.03);
        var c = ObservableSystems.Coefficients(tail.Length, 3);
        var cWhole = new double[whole.Length];
        for (var p = 0; p < 3; p++)
            for (var k = 0; k < 14; k++) cWhole[p * 44 + 30 + k] = c[p * 14 + k];
        Loss(whole, frames, cWhole);
        Loss(tail, frames, c);
        for (var p = 0; p < 3; p++)
            for (var k = 0; k < 14; k++) Assert.Equal(whole.Value[p * 44 + 30 + k], tail.Value[p * 14 + k], 1e-12);
        var gWhole = new PhaseSpaceGradient(frames[1].Count);
        var gTail = new PhaseSpaceGradient(frames[1].Count);
        whole.Backward(1, frames[1], cWhole, gWhole);
        tail.Backward(1, frames[1], c, gTail);
        var scale = gWhole.X.Max(Math.Abs);
        Assert.True(scale > 1e-3);
        for (var i = 0; i < gWhole.Count; i++) Assert.Equal(gWhole.X[i], gTail.X[i], 1e-10 * scale);
        Assert.True(FiniteDifferenceError(tail, frames, c, frame: 1, particles: [0, 17, 55, 107]) < 1e-6);
    }

    [Fact]
    public void BackwardOnTheFramesPairsEqualsBackwardAfterANewSearch()
    {
        // Backward reuses the pairs Accumulate found, and their placement in the bins, when the state is the frame's, bit
        // for bit; a periodic image of the same frame (every particle moved by a box length) has other bits and is
        // searched and placed again.
        var frames = Frames(3, 0.2, cells: 3);
        var rdf = new SmearedRdf(1, 40, 0.7, 2.2, 0.04);
        var c = ObservableSystems.Coefficients(rdf.Length, 5);
        Loss(rdf, frames, c);
        var reused = new PhaseSpaceGradient(frames[1].Count);
        rdf.Backward(1, frames[1], c, reused);
        var image = frames[1].Clone();
        for (var i = 0; i < image.Count; i++) image.X[i] += image.Box.Lx;
        var searched = new PhaseSpaceGradient(image.Count);
        rdf.Backward(1, image, c, searched);
        // The frame's placement, kept from Accumulate, is not the one the new search's pairs were placed in.
        var again = new PhaseSpaceGradient(frames[1].Count);
        rdf.Backward(1, frames[1], c, again);
        Assert.Equal(reused.X, again.X);
        Assert.Equal(reused.Z, again.Z);
        var scale = reused.X.Max(Math.Abs);
        Assert.True(scale > 1e-3);
        for (var i = 0; i < image.Count; i++)
        {
            Assert.Equal(reused.X[i], searched.X[i], 1e-12 * scale);
            Assert.Equal(reused.Y[i], searched.Y[i], 1e-12 * scale);
            Assert.Equal(reused.Z[i], searched.Z[i], 1e-12 * scale);
        }
    }

    [Fact]
    public void MixturePartialsFollowPairHistogramConventionAndSumToTotal()
    {
        var frames = Frames(4, 0.25, fractionB: 0.3);
        const int bins = 30;
        const double rMax = 3.0;
        var rdf = new SmearedRdf(2, bins, 0, rMax, 1e-4);
        var histogram = new PairHistogram(bins, rMax, 2);
        var total = new SmearedRdf(1, bins, 0, rMax, 1e-4);
        for (var f = 0; f < frames.Length; f++)
        {
            rdf.Accumulate(f, frames[f]);
            histogram.Accumulate(frames[f]);
            total.Accumulate(f, ObservableSystems.SingleType(frames[f]));
        }
        Assert.Equal([(0, 0), (0, 1), (1, 1)], rdf.PairOrder);
        Assert.Equal(1, rdf.PartialIndex(1, 0));
        Assert.True(rdf.Partial(0, 1).SequenceEqual(rdf.Value.Slice(bins, bins)));

        // g_ab for a ≤ b is PairHistogram.Rdf(a, b), which equals Rdf(b, a).
        foreach (var (a, b) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
        {
            var g = histogram.Rdf(frames[0], a, b);
            var s = rdf.Partial(a, b).ToArray();
            var worst = Enumerable.Range(0, bins).Max(k => Math.Abs(g[k] - s[k]));
            Assert.True(worst < 0.03, $"partial ({a}, {b}) differs from the histogram by {worst}");
        }

        // n(r) = Σ_ab n_ab(r): g = Σ_{a≤b} m_ab N_a N_b' g_ab / (N (N − 1)), m = 1 for a = b and 2 for a ≠ b (both orders).
        var n = frames[0].Count;
        var na = frames[0].CountOfType(0);
        var nb = n - na;
        var worstSum = 0.0;
        for (var k = 0; k < bins; k++)
        {
            var sum = (na * (na - 1.0) * rdf.Partial(0, 0)[k] + 2.0 * na * nb * rdf.Partial(0, 1)[k] + nb * (nb - 1.0) * rdf.Partial(1, 1)[k]) / (n * (n - 1.0));
            worstSum = Math.Max(worstSum, Math.Abs(sum - total.Value[k]));
        }
        output.WriteLine($"composition sum rule: max deviation {worstSum:E2} (g peaks at {total.Value.ToArray().Max():F3})");
        Assert.True(worstSum < 1e-10, $"partials do not sum to the total: {worstSum}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MixtureBackwardMatchesFiniteDifferencesPerPartial(int partial)
    {
        var frames = Frames(2, 0.2, fractionB: 0.3, cells: 3);
        var rdf = new SmearedRdf(2, 30, 0.7, 2.2, 0.05);
        var c = ObservableSystems.Coefficients(rdf.Length, 9 + partial);
        for (var k = 0; k < c.Length; k++) if (k / rdf.Bins != partial) c[k] = 0;
        var types = frames[0].TypeOf;
        var someA = Enumerable.Range(0, types.Length).Where(i => types[i] == 0).Take(2);
        var someB = Enumerable.Range(0, types.Length).Where(i => types[i] == 1).Take(2);
        var error = FiniteDifferenceError(rdf, frames, c, frame: 0, particles: [.. someA, .. someB]);
        Assert.True(error < 1e-6, $"partial {partial}: finite-difference error {error}");
    }

    [Fact]
    public void FramesMustComeInOrderAndTypesMustMatch()
    {
        var state = ObservableSystems.Jiggled(3, 0.85, 0.1, 1);
        var rdf = new SmearedRdf(1, 10, 0, 2, 0.05);
        Assert.Contains("frame 0", Assert.Throws<ArgumentException>(() => rdf.Accumulate(1, state)).Message);
        var mixture = new SmearedRdf(2, 10, 0, 2, 0.05);
        Assert.Contains("2 particle types", Assert.Throws<ArgumentException>(() => mixture.Accumulate(0, state)).Message);
        Assert.Throws<ArgumentException>(() => new SmearedRdf(1, 10, 0, 2, 0));
    }

    [Theory]
    [InlineData(0.0255, 0.0258)] // the training bench's RDF: a ≈ 1, 12 bins a pair
    [InlineData(0.02, 0.008)]    // narrow smearing: a = 2.5, 8 bins a pair
    [InlineData(0.01, 0.05)]     // wide smearing: a = 0.2, 52 bins a pair
    public void BinWeightTableMatchesExactBinIntegrals(double binWidth, double sigma)
    {
        Assert.Equal(0.8427007929497149, SmearingKernel.Erf(1.0), 15);
        Assert.Equal(0.9999779095030014, SmearingKernel.Erf(3.0), 14);
        var table = new SmearedBinWeights(binWidth, sigma);
        var a = binWidth / sigma;
        double worst = 0, worstSum = 0;
        for (var phi = -0.5; phi < 0.5; phi += 0.00731)
        {
            var sum = 0.0;
            for (var m = table.First; m < table.First + table.Span; m++)
            {
                var exact = SmearingKernel.ExactCdf((m + 1 - phi) * a) - SmearingKernel.ExactCdf((m - phi) * a);
                var w = table.Weight(m, phi);
                worst = Math.Max(worst, Math.Abs(w - exact));
                sum += w;
            }
            worstSum = Math.Max(worstSum, Math.Abs(sum - 1));
            // The row covers the kernel: the bins just outside it get nothing.
            Assert.Equal(0.0, SmearingKernel.ExactCdf((table.First - phi) * a));
            Assert.Equal(1.0, SmearingKernel.ExactCdf((table.First + table.Span - phi) * a));
        }
        output.WriteLine($"a = {a:F3}: {table.Span} bins, {table.Intervals} intervals; max |W − exact| {worst:E2}, max |Σ W − 1| {worstSum:E2}");
        // 16 intervals per σ: 4e-8, a tenth of the kernel's own departure from a Gaussian (its truncation, 3e-7).
        Assert.True(worst < 1e-7, $"table weight error {worst}");
        Assert.True(worstSum < 1e-12, $"weights of a row sum to 1 ± {worstSum}");
    }
}
