using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>
/// Dynamic pruning (<see cref="PairForceField{TPotential}.PruneBuffer"/>) along NVE runs long enough to prune and
/// rebuild many times: on every kernel path and in both precisions, the forces from the pruned list are those of the
/// same full list without pruning (bit for bit on the scalar path, which keeps the order; to rounding where the
/// pruned list regroups the vector lanes) and the direct sum's; one and two threads agree bit for bit.
/// </summary>
public class PruningTests
{
    [Theory]
    [MemberData(nameof(KernelPathTests.Paths), MemberType = typeof(KernelPathTests))]
    public void PrunedForcesMatchFullListAndDirectSumAlongARun(KernelPath path, Precision precision)
    {
        var state = TestSystems.LjFcc(6, 0.8442, 1.5, seed: 7);
        var table = PairTable<LennardJones>.Single(new LennardJones(1.0, 1.0), 2.5, shift: true);
        var pruned = new PairForceField<LennardJones>(table, 0.3, precision, path, pruneBuffer: 0.1);
        // Follows the same positions, so it rebuilds its list at the same steps, but evaluates every step from it.
        var full = new PairForceField<LennardJones>(table, 0.3, precision, path, pruneBuffer: 0);
        full.ComputeForces(state.Clone());
        var sim = new Simulation(state, pruned, new VelocityVerlet(0.005));
        // Round-off against sums of pair forces of order 1, though the net forces of the starting crystal are small.
        var rel = precision == Precision.Double ? 1e-11 : 2e-5;
        for (var step = 1; step <= 200; step++)
        {
            sim.Run(1);
            var copy = state.Clone();
            full.ComputeForces(copy);
            var fmax = Math.Max(1, copy.Fx.Concat(copy.Fy).Concat(copy.Fz).Max(Math.Abs));
            AssertClose(state, copy.Fx, copy.Fy, copy.Fz, path == KernelPath.Scalar ? 0 : rel * fmax, step);
            if (step % 50 != 0) continue;
            var (fx, fy, fz, _, _) = KernelPathTests.DirectSum(state, table);
            AssertClose(state, fx, fy, fz, rel * fmax, step);
        }
        Assert.True(pruned.ListBuilds >= 10, $"{pruned.ListBuilds} list builds");
        Assert.True(pruned.Prunes >= 2 * pruned.ListBuilds, $"{pruned.Prunes} prunes, {pruned.ListBuilds} builds");
        Assert.True(pruned.Prunes <= 150, $"{pruned.Prunes} prunes in 200 steps: the pruned list was hardly used");
    }

    [Theory]
    [InlineData(KernelPath.Vector256, Precision.Float)]
    [InlineData(KernelPath.Vector256, Precision.Double)]
    [InlineData(KernelPath.Vector512, Precision.Float)]
    [InlineData(KernelPath.Scalar, Precision.Double)]
    public void OneAndTwoThreadsAgreeBitwiseAlongAPrunedRun(KernelPath path, Precision precision)
    {
        // 4,000 atoms: enough listed pairs that two threads do take a part each.
        var one = TestSystems.LjFcc(10, 0.8442, 1.5, seed: 5);
        var two = one.Clone();
        var single = TestSystems.Lj(precision: precision, path: path, threads: 1);
        var paired = TestSystems.Lj(precision: precision, path: path, threads: 2);
        new Simulation(one, single, new VelocityVerlet(0.005)).Run(60);
        new Simulation(two, paired, new VelocityVerlet(0.005)).Run(60);
        Assert.True(single.Prunes > single.ListBuilds, $"{single.Prunes} prunes, {single.ListBuilds} builds");
        Assert.Equal(one.X, two.X);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Z, two.Z);
        Assert.Equal(one.Fx, two.Fx);
    }

    private static void AssertClose(State state, double[] fx, double[] fy, double[] fz, double tolerance, int step)
    {
        for (var i = 0; i < state.Count; i++)
        {
            Assert.True(Math.Abs(state.Fx[i] - fx[i]) <= tolerance, $"step {step}: Fx[{i}] = {state.Fx[i]}, expected {fx[i]}");
            Assert.True(Math.Abs(state.Fy[i] - fy[i]) <= tolerance, $"step {step}: Fy[{i}] = {state.Fy[i]}, expected {fy[i]}");
            Assert.True(Math.Abs(state.Fz[i] - fz[i]) <= tolerance, $"step {step}: Fz[{i}] = {state.Fz[i]}, expected {fz[i]}");
        }
    }
}
