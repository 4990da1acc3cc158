namespace DiffSim.Adjoint;

/// <summary>
/// Binomial checkpointing (Griewank, Optim. Methods Softw. 1, 35 (1992); Griewank and Walther, ACM Trans. Math.
/// Softw. 26, 19 (2000), "Revolve"): where to place checkpoints so that a window of t steps is reversed with s free
/// state slots and the fewest steps simulated again.
/// </summary>
/// <remarks>
/// The reverse pass of a segment [a, b] holds state a in a slot and state b as the step's "after" state. With no
/// free slot, each earlier state is simulated again from a: t(t − 1)/2 steps. With s slots, the pass simulates from
/// a to a + m, stores that state, reverses [a + m, b] with s − 1 slots, then [a, a + m] with s. If no step may be
/// simulated again more than r times, s slots reverse at most M(s, r) = C(s + r + 1, s + 1) steps, since
/// M(s, r) = M(s, r − 1) + M(s − 1, r) and M(0, r) = r + 1; the fewest steps simulated again are then
/// r t − M(s + 1, r − 1) for the least r with M(s, r) ≥ t, reached when the first part needs r − 1 repetitions and the
/// second r (checked against exhaustive search in the tests).
/// </remarks>
internal static class BinomialSchedule
{
    /// <summary>M(s, r): the most steps s free slots reverse when no step is simulated again more than r times (saturates at <see cref="long.MaxValue"/>).</summary>
    public static long Reach(int slots, int repeats)
    {
        if (repeats < 0) return 0;
        // C(s + r + 1, s + 1) built up as a product over the smaller of the two choices.
        var n = slots + repeats + 1;
        var k = Math.Min(slots + 1, repeats);
        long c = 1;
        for (var i = 1; i <= k; i++)
        {
            if (c > long.MaxValue / n) return long.MaxValue;
            c = c * (n - k + i) / i;
        }
        return c;
    }

    /// <summary>The least number of repetitions r with <see cref="Reach"/>(s, r) ≥ t.</summary>
    public static int Repeats(int steps, int slots)
    {
        var r = 0;
        while (Reach(slots, r) < steps) r++;
        return r;
    }

    /// <summary>How far past the segment's start the next checkpoint goes, for a segment of <paramref name="steps"/> ≥ 2 steps and at least one free slot: 1 ≤ m &lt; t.</summary>
    public static int Split(int steps, int slots)
    {
        var r = Repeats(steps, slots);
        long first = Math.Max(steps - Reach(slots - 1, r), r >= 2 ? Reach(slots, r - 2) : 1);
        return (int)Math.Clamp(first, 1, steps - 1);
    }

    /// <summary>The steps simulated again to reverse <paramref name="steps"/> steps with <paramref name="slots"/> free slots.</summary>
    public static long Recomputations(int steps, int slots)
    {
        if (steps <= 1) return 0;
        var r = Repeats(steps, slots);
        return (long)r * steps - Reach(slots + 1, r - 1);
    }
}
