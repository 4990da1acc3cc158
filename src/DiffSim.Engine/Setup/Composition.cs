using DiffSim.Numerics;

namespace DiffSim.Setup;

/// <summary>Assigns particle types by fraction: exact counts (largest remainders), then a seeded shuffle of the sites.</summary>
public static class Composition
{
    public static int[] Assign(int count, IReadOnlyList<double> fractions, ulong seed)
    {
        if (fractions.Count == 0) throw new ArgumentException("at least one type fraction is needed");
        var total = 0.0;
        foreach (var f in fractions)
        {
            if (!(f >= 0)) throw new ArgumentException($"type fractions must be non-negative, got {f}");
            total += f;
        }
        if (!(total > 0)) throw new ArgumentException("type fractions sum to zero");

        var counts = new int[fractions.Count];
        var assigned = 0;
        for (var t = 0; t < counts.Length; t++)
        {
            counts[t] = (int)Math.Floor(count * fractions[t] / total);
            assigned += counts[t];
        }
        var order = Enumerable.Range(0, counts.Length).OrderByDescending(t => count * fractions[t] / total - counts[t]).ToArray();
        for (var k = 0; assigned < count; k++, assigned++) counts[order[k % order.Length]]++;

        var types = new int[count];
        var s = 0;
        for (var t = 0; t < counts.Length; t++)
            for (var c = 0; c < counts[t]; c++) types[s++] = t;
        if (counts.Length > 1)
        {
            var rng = new CounterRandom(seed);
            for (var i = count - 1; i > 0; i--)
            {
                var j = (int)(rng.Bits(1, (ulong)i) % (ulong)(i + 1));
                (types[i], types[j]) = (types[j], types[i]);
            }
        }
        return types;
    }
}
