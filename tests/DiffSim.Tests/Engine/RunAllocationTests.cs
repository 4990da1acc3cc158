using DiffSim.Forces;
using DiffSim.Integrators;

namespace DiffSim.Tests.Engine;

/// <summary>
/// A run in steady state allocates (next to) nothing: its list builds and prunes reuse their arrays. Each build once
/// dropped its displacement checks' remembered positions and its slot types (the image count changes from build to
/// build), 24 bytes a particle and more: on in.lj 1.7 MB of large-object heap every 7.6 steps.
/// </summary>
public class RunAllocationTests
{
    [Theory]
    [MemberData(nameof(KernelPathTests.Paths), MemberType = typeof(KernelPathTests))]
    public void BuildsAndPrunesAlongARunReuseTheirArrays(KernelPath path, Precision precision)
    {
        var state = TestSystems.LjFcc(5, 0.8442, 1.44, seed: 3);
        var forces = TestSystems.Lj(precision: precision, path: path);
        var sim = new Simulation(state, forces, new VelocityVerlet(0.005));
        // Past the tiering threshold first (the call that schedules a recompilation may allocate the runtime's work
        // item on this thread), and past the first builds, which size the arrays with room for the image count to grow.
        sim.Run(300);
        // The least of three stretches: in a busy test process the JIT's call counting starts late (every new method
        // compiled elsewhere delays it), so one stretch may still meet a promotion; a build that allocates shows in all.
        var least = long.MaxValue;
        for (var stretch = 0; stretch < 3 && least > 0; stretch++)
        {
            var (builds, prunes) = (forces.ListBuilds, forces.Prunes);
            var before = GC.GetAllocatedBytesForCurrentThread();
            sim.Run(100);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            builds = forces.ListBuilds - builds;
            prunes = forces.Prunes - prunes;
            Assert.True(builds >= 5 && prunes > builds, $"{builds} builds and {prunes} prunes in 100 steps");
            least = Math.Min(least, allocated / builds);
        }
        // The remembered positions alone are 3 × 500 doubles (12 kB) per check, two checks per build.
        Assert.True(least <= 256, $"{least} bytes allocated per list build over the least of three 100-step stretches");
    }
}
