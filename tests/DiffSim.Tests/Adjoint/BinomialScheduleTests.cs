using DiffSim.Adjoint;

namespace DiffSim.Tests.Adjoint;

/// <summary>The binomial schedule's splits and counts against an exhaustive search over every split.</summary>
public class BinomialScheduleTests
{
    /// <summary>The fewest steps simulated again over all split sequences (the recursion of <see cref="BinomialSchedule"/>'s remarks).</summary>
    private static long[,] Exhaustive(int maxSteps, int maxSlots)
    {
        var f = new long[maxSteps + 1, maxSlots + 1];
        for (var t = 2; t <= maxSteps; t++)
        {
            f[t, 0] = (long)t * (t - 1) / 2;
            for (var s = 1; s <= maxSlots; s++)
            {
                var best = long.MaxValue;
                for (var m = 1; m < t; m++) best = Math.Min(best, m + f[t - m, s - 1] + f[m, s]);
                f[t, s] = best;
            }
        }
        return f;
    }

    private static long ScheduleCost(int t, int s)
    {
        if (t <= 1) return 0;
        if (s == 0) return (long)t * (t - 1) / 2;
        var m = BinomialSchedule.Split(t, s);
        Assert.InRange(m, 1, t - 1);
        return m + ScheduleCost(t - m, s - 1) + ScheduleCost(m, s);
    }

    [Fact]
    public void SplitsReachTheFewestRecomputationsAndTheClosedFormCountsThem()
    {
        const int maxSteps = 130, maxSlots = 9;
        var f = Exhaustive(maxSteps, maxSlots);
        for (var t = 1; t <= maxSteps; t++)
            for (var s = 0; s <= maxSlots; s++)
            {
                Assert.True(f[t, s] == ScheduleCost(t, s), $"t = {t}, s = {s}: schedule {ScheduleCost(t, s)} against the fewest {f[t, s]}");
                Assert.True(f[t, s] == BinomialSchedule.Recomputations(t, s), $"t = {t}, s = {s}: closed form {BinomialSchedule.Recomputations(t, s)} against {f[t, s]}");
            }
    }

    [Fact]
    public void ReachIsTheBinomialCoefficient()
    {
        Assert.Equal(1, BinomialSchedule.Reach(5, 0));
        Assert.Equal(4, BinomialSchedule.Reach(0, 3));
        Assert.Equal(120, BinomialSchedule.Reach(2, 7)); // C(10, 3)
        Assert.Equal(long.MaxValue, BinomialSchedule.Reach(200, 200));
        // A 60-step window with the 14 free slots of the √T budget: every step simulated at most twice again.
        Assert.Equal(2, BinomialSchedule.Repeats(60, 14));
    }
}
