using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Tests.Observables;

/// <summary>The all-pairs scan, whose single-precision screen must not change which pairs the double-precision test keeps.</summary>
public class PairSearchTests
{
    /// <summary>
    /// 108 particles (not a whole number of eight-lane vectors), some a few box lengths away from the box, and cutoffs
    /// at and one ulp past the distances of chosen pairs: the scan keeps exactly the pairs whose double-precision r² is
    /// below the cutoff², in row order, with the same r and separations.
    /// </summary>
    [Fact]
    public void AllPairsScanEqualsTheDoublePrecisionTestPairForPair()
    {
        var state = ObservableSystems.Jiggled(3, 0.85, 0.3, 21);
        for (var i = 0; i < state.Count; i += 7) { state.X[i] += 3 * state.Box.Lx; state.Z[i] -= 2 * state.Box.Lz; }
        var reference = Reference(state);
        var search = new PairSearch();
        // Cutoffs of 1.6 to 2.3 on the 5.03 box: at most 6³ half-cutoff cells, so the all-pairs scan runs.
        foreach (var k in new[] { 800, 1500, 2500 })
        {
            var rk = Math.Sqrt(reference.OrderBy(p => p.S).ElementAt(k).S);
            foreach (var cutoff in new[] { rk, Math.BitIncrement(rk), Math.BitDecrement(rk) })
            {
                search.Collect(state, cutoff);
                var expected = reference.Where(p => p.S < cutoff * cutoff).ToArray();
                Assert.Equal(expected.Length, search.Count);
                for (var p = 0; p < expected.Length; p++)
                {
                    Assert.Equal((expected[p].I, expected[p].J), (search.I[p], search.J[p]));
                    Assert.Equal(Math.Sqrt(expected[p].S), search.R[p]);
                    Assert.Equal(expected[p].Dx, search.Dx[p]);
                }
            }
        }
    }

    /// <summary>
    /// The cell search (a cutoff short enough for 5³ stencils of half-cutoff cells) and the all-pairs scan find the same
    /// pairs as the double-precision test, with the same r and, up to the sign that the order of i and j gives, the same
    /// separations; only the order of the pairs differs.
    /// </summary>
    [Theory]
    [InlineData(0.8, true)] // 12 half-cutoff cells per edge of the 5.03 box: the cell search (where asked for)
    [InlineData(0.8, false)] // the same grid, but all pairs cost less for 108 particles
    [InlineData(2.4, false)] // 4 per edge: all pairs
    public void CellSearchAndAllPairsScanFindTheSamePairsAndSeparations(double cutoff, bool preferCells)
    {
        var state = ObservableSystems.Jiggled(3, 0.85, 0.3, 5);
        var expected = Reference(state).Where(p => p.S < cutoff * cutoff).ToDictionary(p => (p.I, p.J));
        var search = new PairSearch { PreferCells = preferCells };
        search.Collect(state, cutoff);
        Assert.Equal(expected.Count, search.Count);
        for (var p = 0; p < search.Count; p++)
        {
            var (i, j, sign) = search.I[p] < search.J[p] ? (search.I[p], search.J[p], 1.0) : (search.J[p], search.I[p], -1.0);
            var pair = expected[(i, j)];
            Assert.Equal(Math.Sqrt(pair.S), search.R[p]);
            Assert.Equal(pair.Dx, sign * search.Dx[p]);
        }
    }

    /// <summary>Every pair i &lt; j in row order, by the scan's own double-precision arithmetic on wrapped positions.</summary>
    private static List<(int I, int J, double S, double Dx)> Reference(State state)
    {
        var box = state.Box;
        double Wrapped(double[] c, int i, double l) => Box.Wrap(c[i], l);
        double Image(double d, double l) => d - l * Math.Round(d * (1 / l));
        var pairs = new List<(int, int, double, double)>();
        for (var i = 0; i < state.Count; i++)
            for (var j = i + 1; j < state.Count; j++)
            {
                var dx = Image(Wrapped(state.X, i, box.Lx) - Wrapped(state.X, j, box.Lx), box.Lx);
                var dy = Image(Wrapped(state.Y, i, box.Ly) - Wrapped(state.Y, j, box.Ly), box.Ly);
                var dz = Image(Wrapped(state.Z, i, box.Lz) - Wrapped(state.Z, j, box.Lz), box.Lz);
                pairs.Add((i, j, dx * dx + dy * dy + dz * dz, dx));
            }
        return pairs;
    }
}
