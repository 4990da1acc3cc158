using DiffSim.Integrators;
using DiffSim.Neighbours;
using DiffSim.Observables;
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

    /// <summary>
    /// A build from a longer search at the same state (an RDF frame's) lists the pairs of a search of its own (from the
    /// all-pairs scan in the same groups and order, one type compacted in search order, a mixture counting-sorted;
    /// from the cell search, one type compacted run by run, a mixture counting-sorted, a pair's first partner
    /// following the search's cell order); pairs found at another state, or not reaching the list's range, are refused.
    /// </summary>
    [Theory]
    [InlineData(4, 0.0)]
    [InlineData(4, 0.3)]
    [InlineData(6, 0.0)]
    [InlineData(6, 0.3)]
    public void BuildsFromALongerSearchAtItsState(int cells, double fractionB)
    {
        var state = ObservableSystems.Jiggled(cells, 0.8442, 0.2, 9, fractionB: fractionB);
        var own = new HalfPairList(Cutoff, Skin);
        own.Build(state);
        // 6 cells (edge 10.1): the cell search, which all pairs would beat at this size.
        var found = new PairSearch { PreferCells = cells == 6 };
        found.Collect(state, Range + 0.6);
        Assert.Equal(cells == 4, found.FirstPartnersAscending);
        var reused = new HalfPairList(Cutoff, Skin);
        Assert.True(reused.Build(state, found));
        Assert.Equal(1, reused.Builds);
        Assert.False(reused.NeedsRebuild(state));
        Assert.Equal(own.Count, reused.Count);
        if (cells == 4)
        {
            // The all-pairs scan: the same groups, in the same order.
            Assert.Equal(own.Start, reused.Start);
            Assert.Equal(own.Neighbours[..own.Count], reused.Neighbours[..reused.Count]);
        }
        else Assert.Equal(Pairs(own, state), Pairs(reused, state));

        var shorter = new PairSearch();
        shorter.Collect(state, Range - 0.1);
        Assert.False(reused.Build(state, shorter));
        state.X[3] += 1e-9;
        Assert.False(reused.Build(state, found));
        Assert.Equal(1, reused.Builds);
    }

    /// <summary>
    /// A build from a frame's pairs for the states it is to serve (two steps either side of the frame, as a reverse
    /// pass offers them) reaches r_c plus twice their largest move, well short of the skin, yet holds every pair within
    /// the cutoff at each of them, and serves each without a rebuild; a state that moved further is stale, and so is
    /// a served state's object holding another step.
    /// </summary>
    [Fact]
    public void AFrameBuildReachesOnlyAsFarAsItsServedStatesMove()
    {
        var state = TestSystems.LjLiquid(4, seed: 3, meltSteps: 100);
        var sim = new Simulation(state, TestSystems.Lj(), new VelocityVerlet(0.005));
        var states = new List<State>();
        for (var n = 0; n < 5; n++)
        {
            states.Add(state.Clone());
            sim.Run(1);
        }
        var frame = states[2];
        var found = new PairSearch();
        found.Collect(frame, Range + 0.6);
        var list = new HalfPairList(Cutoff, Skin);
        Assert.True(list.Build(frame, found, states));

        var check = new DisplacementCheck(Skin, minimumImage: true);
        var largest = states.Max(s => check.LargestMove2(frame, s));
        Assert.Equal(2 * Math.Sqrt(largest), list.BuiltSkin, 1e-3);
        Assert.True(list.BuiltSkin < 0.5 * Skin, $"skin {list.BuiltSkin}");
        Assert.Equal(BruteForcePairs.Within(frame, Cutoff + list.BuiltSkin), Pairs(list, frame));
        foreach (var s in states)
        {
            Assert.False(list.NeedsRebuild(s));
            Assert.Superset(BruteForcePairs.Within(s, Cutoff), Pairs(list, frame));
        }
        sim.Run(20);
        Assert.True(list.NeedsRebuild(state));

        // Offered as a reverse pass offers it: the served states need no check; a served state's object holding
        // another step (a checkpoint buffer reused) is checked, and searched for.
        var offered = new HalfPairList(Cutoff, Skin);
        offered.Offer(found, frame, states);
        foreach (var s in states) offered.Update(s);
        Assert.Equal(1, offered.Builds);
        state.CopyTo(states[4]);
        offered.Update(states[4]);
        Assert.Equal(2, offered.Builds);
        Assert.Equal(Skin, offered.BuiltSkin);
    }

    private static HashSet<(int, int)> Pairs(HalfPairList list, State state)
    {
        var types = state.Types.Count;
        var pairs = new HashSet<(int, int)>();
        for (var i = 0; i < state.Count; i++)
            for (var k = list.Start[i * types]; k < list.Start[(i + 1) * types]; k++)
                pairs.Add((Math.Min(i, list.Neighbours[k]), Math.Max(i, list.Neighbours[k])));
        return pairs;
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

    /// <summary>A particle wrapped back into the box (as the forward list does at its builds) has moved by its minimum image.</summary>
    [Fact]
    public void AWrappedParticleHasNotMovedByTheBox()
    {
        var state = ObservableSystems.Jiggled(4, 0.8442, 0.2, 9);
        var list = new HalfPairList(Cutoff, Skin);
        list.Build(state);
        state.X[5] -= state.Box.Lx;
        state.Z[6] += state.Box.Lz;
        state.Y[9] += state.Box.Ly + 0.45 * Skin;
        Assert.False(list.NeedsRebuild(state));
        state.Y[9] += 0.1 * Skin;
        Assert.True(list.NeedsRebuild(state));
    }
}
