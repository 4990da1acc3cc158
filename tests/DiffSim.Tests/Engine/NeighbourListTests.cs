using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>Both neighbour lists against an O(N²) search within r_c + skin, and their rebuild rule.</summary>
public class NeighbourListTests
{
    private const double Cutoff = 2.5, Skin = 0.3, Range = Cutoff + Skin;

    /// <summary>5 fcc cells (edge 8.4: 3 list cells per side) and 4 cells (edge 6.7 &lt; 3 × 2.8: fewer than 3 cells per side).</summary>
    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public void VerletListFindsExactlyTheBruteForcePairs(int cells)
    {
        var state = Jiggled(cells);
        var list = new VerletList(1, [Cutoff], Skin);
        list.Build(state);
        var found = new HashSet<(int, int)>();
        for (var i = 0; i < state.Count; i++)
            for (var k = list.GroupStart[i]; k < list.GroupStart[i + 1]; k++)
                Assert.True(found.Add((i, list.Neighbours[k])), $"pair ({i}, {list.Neighbours[k]}) listed twice");
        Assert.Equal(BruteForce(state, full: true), found);
    }

    [Theory]
    [InlineData(5, 8)]
    [InlineData(5, 4)]
    [InlineData(4, 16)]
    [InlineData(4, 8)]
    public void ClusterPairListCoversExactlyTheBruteForcePairsOnce(int cells, int jClusterSize)
    {
        var state = Jiggled(cells);
        var list = new ClusterPairList(jClusterSize, Cutoff, Skin);
        list.Build(state);
        var box = state.Box;
        var covered = new HashSet<(int, int)>();
        for (var ci = 0; ci < list.IClusterCount; ci++)
            for (var e = list.EntryStart[ci]; e < list.EntryStart[ci + 1]; e++)
            {
                var cj = list.Entries[e] >> ClusterPairList.ShiftBits;
                var (sx, sy, sz) = ClusterPairList.ShiftOf(list.Entries[e] & ((1 << ClusterPairList.ShiftBits) - 1));
                for (var a = 4 * ci; a < 4 * ci + 4; a++)
                    for (var b = Math.Max(cj * jClusterSize, a + 1); b < (cj + 1) * jClusterSize; b++)
                    {
                        int i = list.Order[a], j = list.Order[b];
                        if (i < 0 || j < 0) continue;
                        var dx = state.X[j] + sx * box.Lx - state.X[i];
                        var dy = state.Y[j] + sy * box.Ly - state.Y[i];
                        var dz = state.Z[j] + sz * box.Lz - state.Z[i];
                        if (dx * dx + dy * dy + dz * dz >= Range * Range) continue;
                        Assert.True(covered.Add((Math.Min(i, j), Math.Max(i, j))), $"pair ({i}, {j}) covered twice");
                    }
            }
        Assert.Equal(BruteForce(state, full: false), covered);
        Assert.Equal(state.Count, list.Order.Count(a => a >= 0));
    }

    [Fact]
    public void ListsRebuildWhenAParticleMovesMoreThanHalfTheSkin()
    {
        var state = Jiggled(4);
        var verlet = new VerletList(1, [Cutoff], Skin);
        var clusters = new ClusterPairList(8, Cutoff, Skin);
        Assert.True(verlet.NeedsRebuild(state));
        Assert.True(clusters.NeedsRebuild(state));
        verlet.Build(state);
        clusters.Build(state);
        state.X[7] += 0.45 * Skin;
        Assert.False(verlet.NeedsRebuild(state));
        Assert.False(clusters.NeedsRebuild(state));
        state.X[7] += 0.1 * Skin;
        Assert.True(verlet.NeedsRebuild(state));
        Assert.True(clusters.NeedsRebuild(state));
    }

    private static State Jiggled(int cells)
    {
        var state = TestSystems.LjFcc(cells, 0.8442, 1.0);
        TestSystems.Jiggle(state, 0.2, seed: 9);
        state.WrapPositions();
        return state;
    }

    /// <summary>Pairs within r_c + skin by the minimum image: ordered pairs both ways (full) or i &lt; j (half).</summary>
    private static HashSet<(int, int)> BruteForce(State state, bool full)
    {
        var pairs = new HashSet<(int, int)>();
        var box = state.Box;
        for (var i = 0; i < state.Count; i++)
            for (var j = i + 1; j < state.Count; j++)
            {
                var dx = Box.MinimumImage(state.X[i] - state.X[j], box.Lx);
                var dy = Box.MinimumImage(state.Y[i] - state.Y[j], box.Ly);
                var dz = Box.MinimumImage(state.Z[i] - state.Z[j], box.Lz);
                if (dx * dx + dy * dy + dz * dz >= Range * Range) continue;
                pairs.Add((i, j));
                if (full) pairs.Add((j, i));
            }
        return pairs;
    }
}
