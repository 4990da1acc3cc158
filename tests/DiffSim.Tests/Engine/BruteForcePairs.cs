using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>The reference the neighbour lists are tested against: an O(N²) scan by the minimum image.</summary>
internal static class BruteForcePairs
{
    /// <summary>Every pair (i, j), i &lt; j, closer than <paramref name="range"/>.</summary>
    public static HashSet<(int, int)> Within(State state, double range)
    {
        var pairs = new HashSet<(int, int)>();
        var box = state.Box;
        for (var i = 0; i < state.Count; i++)
            for (var j = i + 1; j < state.Count; j++)
            {
                var dx = Box.MinimumImage(state.X[i] - state.X[j], box.Lx);
                var dy = Box.MinimumImage(state.Y[i] - state.Y[j], box.Ly);
                var dz = Box.MinimumImage(state.Z[i] - state.Z[j], box.Lz);
                if (dx * dx + dy * dy + dz * dz < range * range) pairs.Add((i, j));
            }
        return pairs;
    }
}
