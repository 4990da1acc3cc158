using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Tests.Observables;

/// <summary>The pair searches, whose fixed-point screen must not change which pairs the double-precision test keeps.</summary>
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

    /// <summary>
    /// The cell search on random particles in orthorhombic boxes: every edge exactly 5 cells (the stencil's rows wrap on
    /// both sides of every cell), uneven edges and cell counts, a cluster whose runs span many vectors, counts that are not
    /// whole vectors, particles a few box lengths outside, and cutoffs at and one ulp past the distance of a pair. Each
    /// pair of the double-precision test comes once, with its r and separations bit for bit, from the cell search and from
    /// the all-pairs scan.
    /// </summary>
    [Theory]
    [InlineData(10.0, 10.0, 10.0, 3.99, 203, false)] // 5 × 5 × 5 cells
    [InlineData(10.0, 13.7, 11.3, 3.9, 301, false)] // 5 × 7 × 5
    [InlineData(12.0, 10.0, 17.0, 2.3, 1001, false)] // 10 × 8 × 14
    [InlineData(11.0, 10.5, 12.5, 4.1, 617, true)] // 5 × 5 × 6, half the particles in one unit cube
    public void CellSearchKeepsExactlyThePairsOfTheDoublePrecisionTest(double lx, double ly, double lz, double cutoff, int count, bool clustered)
    {
        var state = new State(new Box(lx, ly, lz), [ParticleType.Default], new int[count], UnitSystem.Lj);
        var random = new Random(count);
        for (var i = 0; i < count; i++)
        {
            var (ex, ey, ez) = clustered && i % 2 == 0 ? (1.0, 1.0, 1.0) : (lx, ly, lz);
            state.X[i] = ex * random.NextDouble(); state.Y[i] = ey * random.NextDouble(); state.Z[i] = ez * random.NextDouble();
            if (i % 7 == 3) { state.X[i] -= 2 * lx; state.Y[i] += 3 * ly; state.Z[i] += lz; }
        }
        var reference = Reference(state);
        var near = Math.Sqrt(reference.Where(p => p.S < cutoff * cutoff).Max(p => p.S));
        // The all-pairs scan too: its screen scales the axes of an orthorhombic box as the cell search's does.
        foreach (var (rc, search) in new[] { cutoff, near, Math.BitIncrement(near) }.SelectMany(rc => new[] { (rc, new PairSearch { PreferCells = true }), (rc, new PairSearch()) }))
        {
            search.Collect(state, rc);
            var expected = reference.Where(p => p.S < rc * rc).ToDictionary(p => (p.I, p.J));
            Assert.Equal(expected.Count, search.Count);
            var seen = new HashSet<(int, int)>();
            for (var p = 0; p < search.Count; p++)
            {
                var (i, j, sign) = search.I[p] < search.J[p] ? (search.I[p], search.J[p], 1.0) : (search.J[p], search.I[p], -1.0);
                Assert.True(seen.Add((i, j)));
                var pair = expected[(i, j)];
                Assert.Equal(Math.Sqrt(pair.S), search.R[p]);
                Assert.Equal((pair.Dx, pair.Dy, pair.Dz), (sign * search.Dx[p], sign * search.Dy[p], sign * search.Dz[p]));
            }
        }
    }

    /// <summary>Every pair i &lt; j in row order, by the scan's own double-precision arithmetic on wrapped positions.</summary>
    private static List<(int I, int J, double S, double Dx, double Dy, double Dz)> Reference(State state)
    {
        var box = state.Box;
        double Wrapped(double[] c, int i, double l) => Box.Wrap(c[i], l);
        double Image(double d, double l) => d - l * Math.Round(d * (1 / l));
        var pairs = new List<(int, int, double, double, double, double)>();
        for (var i = 0; i < state.Count; i++)
            for (var j = i + 1; j < state.Count; j++)
            {
                var dx = Image(Wrapped(state.X, i, box.Lx) - Wrapped(state.X, j, box.Lx), box.Lx);
                var dy = Image(Wrapped(state.Y, i, box.Ly) - Wrapped(state.Y, j, box.Ly), box.Ly);
                var dz = Image(Wrapped(state.Z, i, box.Lz) - Wrapped(state.Z, j, box.Lz), box.Lz);
                pairs.Add((i, j, dx * dx + dy * dy + dz * dz, dx, dy, dz));
            }
        return pairs;
    }
}
