using DiffSim.Neighbours;
using DiffSim.Systems;
using DiffSim.Tests.Observables;

namespace DiffSim.Tests.Engine;

/// <summary>
/// The half list cut into slices of eight first partners: every particle in exactly one lane of a slice of its type,
/// every pair of the list exactly once among the lanes' partners (in the block of the partner's type), the lanes past
/// their counts holding their own particle.
/// </summary>
public class PartnerSlicesTests
{
    /// <summary>One type and a 30 % B mixture, float and double widths; 253 particles, so that each type's last slice lacks lanes.</summary>
    [Theory]
    [InlineData(0.0, 8)]
    [InlineData(0.3, 8)]
    [InlineData(0.0, 4)]
    [InlineData(0.3, 4)]
    public void EveryPairOnceInItsParticlesLane(double fractionB, int width)
    {
        var full = ObservableSystems.Jiggled(4, 0.8442, 0.2, 9, fractionB: fractionB);
        var n = full.Count - 3;
        var state = new State(full.Box, full.Types, full.TypeOf[..n], UnitSystem.Lj);
        full.X.AsSpan(0, n).CopyTo(state.X); full.Y.AsSpan(0, n).CopyTo(state.Y); full.Z.AsSpan(0, n).CopyTo(state.Z);
        var list = new HalfPairList(2.5, 0.2);
        list.Build(state);
        var types = state.Types.Count;
        var slices = new PartnerSlices(width);
        slices.Update(list, state.TypeOf, types);
        Assert.Equal(list.Builds, slices.ListBuilds);
        // Cut again only after the list is built again: a marked entry survives an update of the same build.
        var first = slices.Entries[0];
        slices.Entries[0] = -1;
        slices.Update(list, state.TypeOf, types);
        Assert.Equal(-1, slices.Entries[0]);
        list.Build(state);
        slices.Update(list, state.TypeOf, types);
        Assert.Equal(first, slices.Entries[0]);

        var seen = new int[n];
        var pairs = new HashSet<(int, int)>();
        for (var s = 0; s < slices.SliceCount; s++)
            for (var t = 0; t < types; t++)
            {
                var block = s * types + t;
                var rows = (slices.BlockStart[block + 1] - slices.BlockStart[block]) / width;
                var longest = 0;
                for (var l = 0; l < width; l++)
                {
                    var i = slices.Particles[s * width + l];
                    Assert.Equal(slices.SliceType[s], state.TypeOf[i]);
                    var count = slices.Counts[block * width + l];
                    longest = Math.Max(longest, count);
                    for (var q = 0; q < rows; q++)
                    {
                        var j = slices.Entries[slices.BlockStart[block] + q * width + l];
                        if (q >= count)
                        {
                            Assert.Equal(i, j);
                            continue;
                        }
                        Assert.Equal(t, state.TypeOf[j]);
                        Assert.True(pairs.Add((Math.Min(i, j), Math.Max(i, j))), $"pair ({i}, {j}) twice");
                    }
                }
                Assert.Equal(longest, rows);
            }
        // Each particle in one lane with partners counted; the repeated lanes of a type's last slice have none.
        for (var s = 0; s < slices.SliceCount; s++)
            for (var l = 0; l < width; l++)
            {
                var i = slices.Particles[s * width + l];
                var counted = Enumerable.Range(0, types).Sum(t => slices.Counts[(s * types + t) * width + l]);
                var own = Enumerable.Range(0, types).Sum(t => list.Start[i * types + t + 1] - list.Start[i * types + t]);
                if (counted == own && (l == 0 || slices.Particles[s * width] != i)) seen[i]++;
                else Assert.Equal(0, counted);
            }
        Assert.All(seen, c => Assert.Equal(1, c));
        Assert.Equal(list.Count, pairs.Count);
    }
}
