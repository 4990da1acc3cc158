using DiffSim.Neighbours;
using DiffSim.Systems;
using DiffSim.Tests.Observables;

namespace DiffSim.Tests.Engine;

/// <summary>The adjoint's half list against an O(N²) search within r_c + skin: every pair once, under its first partner, in the group of the second's type.</summary>
public class HalfPairListTests
{
    private const double Cutoff = 2.5, Skin = 0.3, Range = Cutoff + Skin;

    /// <summary>4 fcc cells (edge 6.7: the all-pairs scan) and 6 (edge 10.1: 7 half-range cells a side, the cell search); a 30 % B mixture.</summary>
    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void HoldsEveryPairOnceGroupedByPartnerType(int cells)
    {
        var state = ObservableSystems.Jiggled(cells, 0.8442, 0.2, 9, fractionB: 0.3);
        var list = new HalfPairList(Cutoff, Skin);
        list.Build(state);
        var types = state.Types.Count;
        var found = new HashSet<(int, int)>();
        for (var i = 0; i < state.Count; i++)
            for (var t = 0; t < types; t++)
                for (var k = list.Start[i * types + t]; k < list.Start[i * types + t + 1]; k++)
                {
                    var j = list.Neighbours[k];
                    Assert.Equal(t, state.TypeOf[j]);
                    Assert.True(found.Add((Math.Min(i, j), Math.Max(i, j))), $"pair ({i}, {j}) listed twice");
                }
        Assert.Equal(list.Count, found.Count);
        Assert.Equal(BruteForcePairs.Within(state, Range), found);
        Assert.True(list.Neighbours.Length >= list.Count + HalfPairList.PaddingEntries);
    }

    [Fact]
    public void RebuildsWhenAParticleMovesMoreThanHalfTheSkin()
    {
        var state = ObservableSystems.Jiggled(4, 0.8442, 0.2, 9);
        var list = new HalfPairList(Cutoff, Skin);
        Assert.True(list.NeedsRebuild(state));
        list.Build(state);
        state.X[7] += 0.45 * Skin;
        Assert.False(list.NeedsRebuild(state));
        state.X[7] += 0.1 * Skin;
        Assert.True(list.NeedsRebuild(state));
    }
}
