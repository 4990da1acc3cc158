using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Systems;
using DiffSim.Tests.Engine;

namespace DiffSim.Tests.Adjoint;

/// <summary>The binomial schedule reverses the same window as the fully stored one, with the states and recomputations it promises.</summary>
public class BinomialCheckpointTests
{
    private const int Steps = 40;
    private const int SampleEvery = 5;

    private static WindowResult Run(State start, string kind, CheckpointPolicy policy)
    {
        var table = PairTable<SmoothSoftSphere>.Single(new SmoothSoftSphere(1.0, 1.0), SmoothSoftSphere.Cutoff, shift: false);
        var field = new DifferentiablePairField<SmoothSoftSphere>(new PairForceField<SmoothSoftSphere>(table, 0.3, Precision.Double, KernelPath.Scalar), ["A"]);
        return new WindowGradient(field, TestIntegrators.Make(kind)).Run(start.Clone(), Steps, SampleEvery, [new ProbeObservable()], ProbeObservable.Loss, policy);
    }

    /// <summary>A state's bytes with the integrator's thermostat variables, as the window holds it.</summary>
    private static long StateBytes(State start, string kind)
    {
        var sized = start.Clone();
        TestIntegrators.Make(kind).Initialise(sized);
        return sized.Bytes;
    }

    [Theory]
    [InlineData("nve", 0)]
    [InlineData("nhc", 2)]
    [InlineData("langevin", 5)]
    [InlineData("nhc", 39)]
    public void BinomialGradientEqualsFullyStored(string kind, int slots)
    {
        var start = TestSystems.LjLiquid(3, seed: 7, meltSteps: 300);
        var all = Run(start, kind, CheckpointPolicy.StoreAll);
        var budget = (slots + 3) * StateBytes(start, kind);
        var binomial = Run(start, kind, new CheckpointPolicy { Binomial = true, MemoryBudgetBytes = budget });

        Assert.Equal(budget, binomial.PeakStateBytes);
        Assert.Equal(0, binomial.CheckpointInterval);
        // The first pass already stores the checkpoints along the window's end, which saves their first simulation.
        var spineEnd = 0;
        for (var free = slots; Steps - spineEnd > 1 && free > 0; free--) spineEnd += BinomialSchedule.Split(Steps - spineEnd, free);
        Assert.Equal(BinomialSchedule.Recomputations(Steps, slots) - spineEnd, binomial.RecomputedSteps);

        Assert.Equal(all.Loss, binomial.Loss);
        GradientAssert.Equal(all, binomial, 1e-9);
    }

    [Fact]
    public void BinomialSimulatesLessAgainThanTheUniformIntervalInTheSameMemory()
    {
        var start = TestSystems.LjLiquid(3, seed: 7, meltSteps: 300);
        var uniform = Run(start, "nhc", new CheckpointPolicy { Interval = 7 });
        var binomial = Run(start, "nhc", new CheckpointPolicy { Binomial = true, MemoryBudgetBytes = uniform.PeakStateBytes });
        Assert.Equal(Steps, uniform.RecomputedSteps);
        Assert.True(binomial.RecomputedSteps < uniform.RecomputedSteps, $"binomial {binomial.RecomputedSteps} against uniform {uniform.RecomputedSteps}");
        Assert.Equal(uniform.PeakStateBytes, binomial.PeakStateBytes);
    }

    [Fact]
    public void ABudgetBelowThreeStatesIsAClearError()
    {
        var start = TestSystems.LjLiquid(3, seed: 7, meltSteps: 50);
        var e = Assert.Throws<ArgumentException>(() => Run(start, "nve", new CheckpointPolicy { Binomial = true, MemoryBudgetBytes = 2 * start.Bytes }));
        Assert.Contains("at least 3", e.Message);
    }
}
