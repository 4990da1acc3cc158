using System.Runtime.Intrinsics;
using DiffSim.Integrators;
using DiffSim.Forces;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>
/// Every kernel path (scalar, Vector256, Vector512, the last in software where the processor lacks AVX-512) and both
/// precisions against an O(N²) minimum-image sum in double, on a jiggled LJ crystal and on a 2-type mixture.
/// </summary>
public class KernelPathTests
{
    public static TheoryData<KernelPath, Precision> Paths()
    {
        var data = new TheoryData<KernelPath, Precision>();
        foreach (var path in new[] { KernelPath.Scalar, KernelPath.Vector256, KernelPath.Vector512 })
            foreach (var precision in new[] { Precision.Double, Precision.Float })
                data.Add(path, precision);
        return data;
    }

    [Fact]
    public void AutoIsTheVector256PathWhereverItIsAcceleratedAndANamedPathIsKept()
    {
        Assert.Equal(Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar, KernelPaths.Resolve(KernelPath.Auto));
        foreach (var path in new[] { KernelPath.Scalar, KernelPath.Vector256, KernelPath.Vector512 })
            Assert.Equal(path, KernelPaths.Resolve(path));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void JiggledCrystalMatchesDirectSum(KernelPath path, Precision precision)
    {
        var state = TestSystems.LjFcc(5, 0.8442, 1.0);
        TestSystems.Jiggle(state, 0.15, seed: 3);
        var table = PairTable<LennardJones>.Single(new LennardJones(1.0, 1.0), 2.5, shift: true);
        AssertMatchesDirectSum(state, table, path, precision);
    }

    /// <summary>4 fcc cells: 2 list cells per edge, so the images of one cell serve both faces.</summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void SmallBoxMatchesDirectSum(KernelPath path, Precision precision)
    {
        var state = TestSystems.LjFcc(4, 0.8442, 1.0);
        TestSystems.Jiggle(state, 0.15, seed: 6);
        var table = PairTable<LennardJones>.Single(new LennardJones(1.0, 1.0), 2.5, shift: false);
        AssertMatchesDirectSum(state, table, path, precision);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void MixtureMatchesDirectSum(KernelPath path, Precision precision)
    {
        var state = Mixture();
        AssertMatchesDirectSum(state, MixtureTable(), path, precision);
    }

    /// <summary>497 particles, a multiple of no vector width: the positions and the part sums go a vector of particles at a time, then one by one.</summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void MixtureOfOddCountMatchesDirectSum(KernelPath path, Precision precision)
    {
        var full = Mixture();
        var n = full.Count - 3;
        var state = new State(full.Box, full.Types, full.TypeOf[..n], UnitSystem.Lj);
        full.X.AsSpan(0, n).CopyTo(state.X); full.Y.AsSpan(0, n).CopyTo(state.Y); full.Z.AsSpan(0, n).CopyTo(state.Z);
        AssertMatchesDirectSum(state, MixtureTable(), path, precision);
    }

    /// <summary>
    /// 5,324 particles: the copies between the state and the slots go in slot order, and every part's buffer holds
    /// forces on earlier parts' slots too (the images' sources); two parts (one or two threads) and three.
    /// </summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void LargeCrystalInPartsMatchesDirectSum(KernelPath path, Precision precision)
    {
        var state = TestSystems.LjFcc(11, 0.8442, 1.0);
        TestSystems.Jiggle(state, 0.15, seed: 8);
        var table = PairTable<LennardJones>.Single(new LennardJones(1.0, 1.0), 2.5, shift: true);
        foreach (var threads in new[] { 1, 3 }) AssertMatchesDirectSum(state, table, path, precision, threads);
    }

    [Theory]
    [InlineData(KernelPath.Vector256, Precision.Float)]
    [InlineData(KernelPath.Vector256, Precision.Double)]
    [InlineData(KernelPath.Scalar, Precision.Double)]
    public void OneAndTwoThreadsAgreeBitwise(KernelPath path, Precision precision)
    {
        // 4,000 atoms: enough listed pairs that two threads do take a part each.
        var one = TestSystems.LjFcc(10, 0.8442, 1.0);
        TestSystems.Jiggle(one, 0.1, seed: 5);
        var two = one.Clone();
        var r1 = TestSystems.Lj(precision: precision, path: path, threads: 1).Compute(one);
        var r2 = TestSystems.Lj(precision: precision, path: path, threads: 2).Compute(two);
        Assert.Equal(r1.Energy, r2.Energy);
        Assert.Equal(r1.Virial, r2.Virial);
        Assert.Equal(one.Fx, two.Fx);
        Assert.Equal(one.Fy, two.Fy);
        Assert.Equal(one.Fz, two.Fz);
    }

    /// <summary>A list too short to share among threads is one part, so that any thread count gives the same forces.</summary>
    [Theory]
    [InlineData(Precision.Float)]
    [InlineData(Precision.Double)]
    public void ShortListAgreesBitwiseForAnyThreadCount(Precision precision)
    {
        var one = TestSystems.LjFcc(4, 0.8442, 1.0);
        TestSystems.Jiggle(one, 0.1, seed: 8);
        var r1 = TestSystems.Lj(precision: precision, threads: 1).Compute(one);
        foreach (var threads in new[] { 2, 3 })
        {
            var other = one.Clone();
            var r = TestSystems.Lj(precision: precision, threads: threads).Compute(other);
            Assert.Equal(r1.Energy, r.Energy);
            Assert.Equal(r1.Virial, r.Virial);
            Assert.Equal(one.Fx, other.Fx);
            Assert.Equal(one.Fy, other.Fy);
            Assert.Equal(one.Fz, other.Fz);
        }
    }

    /// <summary>Along an NVE run the list kept between rebuilds (skin/2 rule) gives the forces of a list built afresh.</summary>
    [Theory]
    [InlineData(4, 0.75)]
    [InlineData(6, 0.8442)]
    public void KeptListMatchesAFreshListAlongARun(int cells, double density)
    {
        var state = TestSystems.LjFcc(cells, density, 1.0, seed: 3);
        var kept = TestSystems.Lj(shift: true);
        var sim = new Simulation(state, kept, new VelocityVerlet(0.004));
        for (var block = 0; block < 40; block++)
        {
            sim.Run(25);
            var copy = state.Clone();
            var fresh = TestSystems.Lj(shift: true).Compute(copy);
            Assert.Equal(fresh.Energy, sim.Last.Energy, 1e-9 * state.Count);
            for (var i = 0; i < state.Count; i++) Assert.Equal(copy.Fx[i], state.Fx[i], 1e-9);
        }
        Assert.True(kept.ListBuilds > 5, $"{kept.ListBuilds} list builds");
    }

    [Fact]
    public void BoxSmallerThanTwiceTheCutoffIsRejected()
    {
        var state = TestSystems.LjFcc(3, 0.8442, 1.0); // edge 3 × 1.68 = 5.04 < 2 × 2.6
        var forces = TestSystems.Lj(cutoff: 2.6);
        var error = Assert.Throws<ArgumentException>(() => forces.Compute(state));
        Assert.Contains("too small for the cutoff", error.Message);
    }

    /// <summary>A dense random 2-type mixture, 60 % type 0.</summary>
    internal static State Mixture()
    {
        var crystal = TestSystems.LjFcc(5, 0.9, 1.0);
        var rng = new Random(11);
        var typeOf = new int[crystal.Count];
        for (var i = 0; i < typeOf.Length; i++) typeOf[i] = rng.NextDouble() < 0.6 ? 0 : 1;
        var state = new State(crystal.Box, [new ParticleType("A", 1.0), new ParticleType("B", 2.0)], typeOf, UnitSystem.Lj);
        crystal.X.CopyTo(state.X); crystal.Y.CopyTo(state.Y); crystal.Z.CopyTo(state.Z);
        TestSystems.Jiggle(state, 0.15, seed: 4);
        return state;
    }

    /// <summary>The mixture's three pairs, with unequal cutoffs, shifted and not.</summary>
    internal static PairTable<LennardJones> MixtureTable()
    {
        var table = new PairTable<LennardJones>(2);
        table.Set(0, 0, new LennardJones(1.0, 1.0), 2.5, shift: true);
        table.Set(0, 1, new LennardJones(1.5, 0.8), 2.0, shift: false);
        table.Set(1, 1, new LennardJones(0.5, 0.88), 2.2, shift: true);
        return table;
    }

    private static void AssertMatchesDirectSum(State state, PairTable<LennardJones> table, KernelPath path, Precision precision, int threads = 1)
    {
        var (fx, fy, fz, energy, virial) = DirectSum(state, table);
        var result = new PairForceField<LennardJones>(table, 0.3, precision, path, threads).Compute(state);
        // Round-off: double sums agree to ~1e-12 of the largest term; float kernels to ~1e-6.
        var rel = precision == Precision.Double ? 1e-11 : 2e-5;
        var fmax = fx.Concat(fy).Concat(fz).Max(Math.Abs);
        for (var i = 0; i < state.Count; i++)
        {
            Assert.True(Math.Abs(state.Fx[i] - fx[i]) <= rel * fmax, $"Fx[{i}] = {state.Fx[i]}, direct {fx[i]}");
            Assert.True(Math.Abs(state.Fy[i] - fy[i]) <= rel * fmax, $"Fy[{i}] = {state.Fy[i]}, direct {fy[i]}");
            Assert.True(Math.Abs(state.Fz[i] - fz[i]) <= rel * fmax, $"Fz[{i}] = {state.Fz[i]}, direct {fz[i]}");
        }
        Assert.Equal(energy, result.Energy, rel * state.Count);
        Assert.Equal(virial, result.Virial, 10 * rel * state.Count);
    }

    /// <summary>Forces, energy and virial by the minimum image over all pairs, in double.</summary>
    internal static (double[] Fx, double[] Fy, double[] Fz, double Energy, double Virial) DirectSum(State state, PairTable<LennardJones> table)
    {
        var n = state.Count;
        var box = state.Box;
        double[] fx = new double[n], fy = new double[n], fz = new double[n];
        double energy = 0, virial = 0;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var p = state.TypeOf[i] * table.TypeCount + state.TypeOf[j];
                var dx = Box.MinimumImage(state.X[i] - state.X[j], box.Lx);
                var dy = Box.MinimumImage(state.Y[i] - state.Y[j], box.Ly);
                var dz = Box.MinimumImage(state.Z[i] - state.Z[j], box.Lz);
                var r2 = dx * dx + dy * dy + dz * dz;
                if (r2 >= table.Cutoffs[p] * table.Cutoffs[p]) continue;
                var r = Math.Sqrt(r2);
                var pot = table.Potentials[p];
                var phi = -pot.Derivative(r) / r;
                fx[i] += phi * dx; fy[i] += phi * dy; fz[i] += phi * dz;
                fx[j] -= phi * dx; fy[j] -= phi * dy; fz[j] -= phi * dz;
                energy += pot.Energy(r) - table.Shifts[p];
                virial += phi * r2;
            }
        return (fx, fy, fz, energy, virial);
    }
}
