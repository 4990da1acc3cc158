using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>The forward half list against an O(N²) search within r_c + skin, and its rebuild rule.</summary>
public class NeighbourListTests
{
    private const double Cutoff = 2.5, Skin = 0.3, Range = Cutoff + Skin;

    /// <summary>6 and 5 fcc cells (3 list cells per side), 4 cells (2 per side), 3 cells (1 per side, where a pair can also appear through a second image).</summary>
    [Theory]
    [InlineData(6, 8)]
    [InlineData(5, 4)]
    [InlineData(5, 1)]
    [InlineData(4, 16)]
    [InlineData(3, 8)]
    public void HalfVerletListCoversEveryPairWithinRangeOnce(int cells, int padding)
    {
        var state = Jiggled(cells);
        // 3 cells: edge 5.04, so the cutoff must shrink to keep 2 r_c inside the box.
        var (cutoff, range) = cells == 3 ? (2.4, 2.7) : (Cutoff, Range);
        var list = new HalfVerletList(padding, cutoff, range - cutoff);
        list.Build(state);
        AssertListsEveryPairWithinRangeOnce(state, list, range, everySeparationInRange: cells >= 4);
    }

    /// <summary>
    /// Boxes of unequal edges (2 to 6 cells a side) holding a uniform gas, and an unjiggled crystal whose particles sit
    /// exactly on the boundaries of the cells' slabs along x, and particles on the box faces.
    /// </summary>
    [Theory]
    [InlineData(17.3, 6.0, 6.5, 0)]
    [InlineData(11.0, 7.3, 9.2, 1)]
    [InlineData(6.0, 12.1, 8.5, 2)]
    [InlineData(0, 0, 0, 3)]
    public void HalfVerletListCoversEveryPairInBoxesOfEveryShape(double lx, double ly, double lz, int seed)
    {
        State state;
        if (lx == 0)
        {
            // 6 fcc cells, 3 list cells a side: the lattice planes at multiples of a/2 fall on slab boundaries (a/4).
            state = TestSystems.LjFcc(6, 0.8442, 1.0);
        }
        else
        {
            var box = new Box(lx, ly, lz);
            var n = (int)(0.8 * box.Volume);
            state = new State(box, [ParticleType.Default], new int[n], UnitSystem.Lj);
            var rng = new Random(seed);
            for (var i = 0; i < n; i++)
            {
                state.X[i] = lx * rng.NextDouble();
                state.Y[i] = ly * rng.NextDouble();
                state.Z[i] = lz * rng.NextDouble();
            }
            state.X[0] = state.Y[0] = state.Z[0] = 0;
            state.X[1] = Math.BitDecrement(lx); state.Y[1] = Math.BitDecrement(ly); state.Z[1] = Math.BitDecrement(lz);
        }
        var list = new HalfVerletList(8, Cutoff, Skin);
        list.Build(state);
        AssertListsEveryPairWithinRangeOnce(state, list, Range, everySeparationInRange: Math.Min(state.Box.Lx, Math.Min(state.Box.Ly, state.Box.Lz)) >= 2 * Range);
    }

    /// <summary>
    /// Every listed pair lies within the range, once per separation vector; every pair within the range by its minimum
    /// image is listed (and, when <paramref name="everySeparationInRange"/>, nothing else).
    /// </summary>
    private static void AssertListsEveryPairWithinRangeOnce(State state, HalfVerletList list, double range, bool everySeparationInRange)
    {
        var padding = list.Padding;
        var box = state.Box;
        var n = list.ParticleCount;
        Assert.Equal(state.Count, n);
        Assert.Equal(Enumerable.Range(0, n), list.Order.Order());
        // The image runs, one image at a time: each image slot's source slot and shift; every source a particle's slot.
        var images = list.ImageRuns.Take(list.ImageRunCount).SelectMany(r => Enumerable.Range(r.Source, r.Count).Select(s => (Source: s, r.Shift))).ToArray();
        Assert.Equal(list.ImageCount, images.Length);
        Assert.All(images, image => Assert.InRange(image.Source, 0, n - 1));
        var covered = new HashSet<(int I, int J, int Sx, int Sy, int Sz)>();
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(0, (list.NeighbourStart[i + 1] - list.NeighbourStart[i]) % padding);
            for (var k = list.NeighbourStart[i]; k < list.NeighbourStart[i + 1]; k++)
            {
                Assert.Equal(0, list.Neighbours[k] % 4);
                var s = list.Neighbours[k] / 4;
                if (s == list.DummySlot) continue;
                Assert.True(s != i && s < list.DummySlot, $"slot {s} listed for slot {i}");
                // The partner's position as the kernel sees it: a particle, or an image shifted from its source.
                var (sx, sy, sz) = s < n ? (0, 0, 0) : HalfVerletList.ShiftOf(images[s - n].Shift);
                var j = list.Order[s < n ? s : images[s - n].Source];
                var a = list.Order[i];
                var dx = state.X[j] + sx * box.Lx - state.X[a];
                var dy = state.Y[j] + sy * box.Ly - state.Y[a];
                var dz = state.Z[j] + sz * box.Lz - state.Z[a];
                var r2 = dx * dx + dy * dy + dz * dz;
                // Listed pairs lie within the range (float tests: a relative 1e-5 of slack); each separation once.
                Assert.True(r2 < range * range * (1 + 1e-5), $"pair ({a}, {j}) at r = {Math.Sqrt(r2)} listed");
                if (r2 >= range * range) continue;
                var key = a < j ? (a, j, sx, sy, sz) : (j, a, -sx, -sy, -sz);
                Assert.True(covered.Add(key), $"pair {key} listed twice");
            }
        }
        // Every pair within the range by its minimum image is listed (with more than 2 cells per side, only so).
        var brute = BruteForcePairs.Within(state, range);
        var found = covered.Where(c => brute.Contains((c.Item1, c.Item2)) && IsMinimumImage(state, c)).Select(c => (c.Item1, c.Item2)).ToHashSet();
        Assert.Equal(brute, found);
        if (everySeparationInRange) Assert.Equal(brute.Count, covered.Count);
    }

    /// <summary>A position that wrapping cannot bring into the box (not finite, or so far that rounding leaves it outside: 1e18 wraps to −128 in this box) is a diverged run, not an index out of range.</summary>
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1e18)]
    public void ABuildFromAPositionOutsideTheBoxReportsDivergence(double z)
    {
        var state = Jiggled(4);
        state.Z[5] = z;
        var list = new HalfVerletList(8, Cutoff, Skin);
        Assert.Throws<SimulationDivergedException>(() => list.Build(state));
    }

    [Fact]
    public void ListRebuildsWhenAParticleMovesMoreThanHalfTheSkinOrIsInvalidated()
    {
        var state = Jiggled(4);
        var half = new HalfVerletList(8, Cutoff, Skin);
        Assert.True(half.NeedsRebuild(state));
        half.Build(state);
        state.X[7] += 0.45 * Skin;
        Assert.False(half.NeedsRebuild(state));
        state.X[7] += 0.1 * Skin;
        Assert.True(half.NeedsRebuild(state));
        half.Invalidate();
        Assert.True(half.NeedsRebuild(state));
    }

    private static bool IsMinimumImage(State state, (int I, int J, int Sx, int Sy, int Sz) pair)
    {
        var box = state.Box;
        return Math.Abs(state.X[pair.J] + pair.Sx * box.Lx - state.X[pair.I]) <= box.Lx / 2
            && Math.Abs(state.Y[pair.J] + pair.Sy * box.Ly - state.Y[pair.I]) <= box.Ly / 2
            && Math.Abs(state.Z[pair.J] + pair.Sz * box.Lz - state.Z[pair.I]) <= box.Lz / 2;
    }

    private static State Jiggled(int cells)
    {
        var state = TestSystems.LjFcc(cells, 0.8442, 1.0);
        TestSystems.Jiggle(state, 0.2, seed: 9);
        state.WrapPositions();
        return state;
    }
}
