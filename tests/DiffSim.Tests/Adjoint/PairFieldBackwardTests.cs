using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Potentials;
using DiffSim.Systems;
using DiffSim.Tests.Observables;

namespace DiffSim.Tests.Adjoint;

/// <summary>
/// The vectorised reverse pass of <see cref="DifferentiablePairField{TPotential}"/> (four partners per vector, grouped by
/// type pair, lanes masked at the cutoff and at group ends) against its per-pair definition summed over every pair by
/// minimum image; in single precision (eight partners per vector, the field's forward forces float) to float rounding.
/// </summary>
public class PairFieldBackwardTests
{
    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Float)]
    public void MixtureReversePassEqualsThePerPairSum(Precision precision)
    {
        var state = ObservableSystems.Jiggled(4, 0.8442, 0.2, 5, fractionB: 0.3);
        var field = MixtureField(precision);
        AssertEqualsPerPairSum(field, state, 3);
    }

    /// <summary>A particle count that is no multiple of four: the packing's last particles go one by one.</summary>
    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Float)]
    public void ParticleCountWithRemainder(Precision precision)
    {
        var full = ObservableSystems.Jiggled(4, 0.8442, 0.2, 5, fractionB: 0.3);
        var n = full.Count - 3;
        var state = new State(full.Box, full.Types, full.TypeOf[..n], UnitSystem.Lj);
        full.X.AsSpan(0, n).CopyTo(state.X); full.Y.AsSpan(0, n).CopyTo(state.Y); full.Z.AsSpan(0, n).CopyTo(state.Z);
        AssertEqualsPerPairSum(MixtureField(precision), state, 8);
    }

    /// <summary>
    /// A list built at one state serves later ones whose particles moved less than skin/2, some of them across a face
    /// and wrapped back into the box (as the forward list does when it rebuilds), or shown through another image.
    /// </summary>
    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Float)]
    public void ListBuiltEarlierServesWrappedAndMovedStates(Precision precision)
    {
        var state = ObservableSystems.Jiggled(4, 0.8442, 0.2, 7, fractionB: 0.3);
        state.WrapPositions();
        var field = MixtureField(precision);
        AssertEqualsPerPairSum(field, state, 3);
        var builds = field.ReverseListBuilds;
        var box = state.Box;
        var rng = new Random(11);
        for (var i = 0; i < state.Count; i++)
        {
            state.X[i] += 0.08 * (rng.NextDouble() - 0.5);
            state.Y[i] += 0.08 * (rng.NextDouble() - 0.5);
            state.Z[i] += 0.08 * (rng.NextDouble() - 0.5);
            // Every third particle shown through another image: as if wrapped, or not yet wrapped, by the forward list.
            if (i % 3 == 0) state.X[i] += state.X[i] < 0.5 * box.Lx ? box.Lx : -box.Lx;
            if (i % 5 == 0) state.Z[i] -= box.Lz;
        }
        AssertEqualsPerPairSum(field, state, 4);
        Assert.Equal(builds, field.ReverseListBuilds);
    }

    /// <summary>
    /// A box less than twice the list's range (3 fcc cells, edge 5.04, range 2.7): a pair may be within range
    /// through two images on an axis, and the pass must find whichever comes within the cutoff.
    /// </summary>
    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Float)]
    public void BoxShorterThanTwiceTheRange(Precision precision)
    {
        var state = ObservableSystems.Jiggled(3, 0.8442, 0.25, 9, fractionB: 0.3);
        var table = new PairTable<LennardJones>(2);
        table.Set(0, 0, new LennardJones(1.0, 1.0), 2.5, shift: false);
        table.Set(0, 1, new LennardJones(1.5, 0.8), 2.5, shift: false);
        table.Set(1, 1, new LennardJones(0.5, 0.88), 2.2, shift: false);
        var field = new DifferentiablePairField<LennardJones>(new PairForceField<LennardJones>(table, 0.3, precision), ["A", "B"]);
        Assert.True(2 * (2.5 + HalfPairListSkin(field)) > state.Box.MinEdge);
        AssertEqualsPerPairSum(field, state, 5);
        var rng = new Random(13);
        for (var i = 0; i < state.Count; i++) state.Y[i] += 0.09 * (rng.NextDouble() - 0.5);
        AssertEqualsPerPairSum(field, state, 6);
    }

    private static double HalfPairListSkin(DifferentiablePairField<LennardJones> field) => Math.Min(field.Forward.Skin, Neighbours.HalfPairList.ReversePassSkin);

    /// <summary>Kob–Andersen-like cutoffs per pair, so the cutoff mask differs between groups of one particle.</summary>
    private static DifferentiablePairField<LennardJones> MixtureField(Precision precision)
    {
        var table = new PairTable<LennardJones>(2);
        table.Set(0, 0, new LennardJones(1.0, 1.0), 2.5, shift: false);
        table.Set(0, 1, new LennardJones(1.5, 0.8), 2.0, shift: false);
        table.Set(1, 1, new LennardJones(0.5, 0.88), 2.2, shift: false);
        return new DifferentiablePairField<LennardJones>(new PairForceField<LennardJones>(table, 0.3, precision), ["A", "B"]);
    }

    private static void AssertEqualsPerPairSum(DifferentiablePairField<LennardJones> field, State state, int seed)
    {
        var table = field.Forward.Table;
        var n = state.Count;
        var w = ObservableSystems.Coefficients(3 * n, seed);
        var (wx, wy, wz) = (w.AsSpan(0, n).ToArray(), w.AsSpan(n, n).ToArray(), w.AsSpan(2 * n, n).ToArray());

        var adjoint = new PhaseSpaceGradient(n);
        var accumulator = new double[field.AccumulatorLength];
        field.Backward(state, wx, wy, wz, adjoint, accumulator);

        var expected = new PhaseSpaceGradient(n);
        var expectedGradient = new double[field.AccumulatorLength];
        var gradientMagnitude = new double[field.AccumulatorLength];
        Span<double> dphi = stackalloc double[2];
        var box = state.Box;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                int a = state.TypeOf[i], b = state.TypeOf[j];
                var dx = Box.MinimumImage(state.X[i] - state.X[j], box.Lx);
                var dy = Box.MinimumImage(state.Y[i] - state.Y[j], box.Ly);
                var dz = Box.MinimumImage(state.Z[i] - state.Z[j], box.Lz);
                var s = dx * dx + dy * dy + dz * dz;
                var rc = table.Cutoffs[a * 2 + b];
                if (s >= rc * rc) continue;
                table[a, b].EvaluateAdjoint(s, out var phi, out var dphids, dphi);
                double ux = wx[i] - wx[j], uy = wy[i] - wy[j], uz = wz[i] - wz[j];
                var du2 = dx * ux + dy * uy + dz * uz;
                var c = 2 * dphids * du2;
                double jx = phi * ux + c * dx, jy = phi * uy + c * dy, jz = phi * uz + c * dz;
                expected.X[i] += jx; expected.Y[i] += jy; expected.Z[i] += jz;
                expected.X[j] -= jx; expected.Y[j] -= jy; expected.Z[j] -= jz;
                var slot = a + b; // (A, A), (A, B), (B, B): the field's pair order
                for (var p = 0; p < 2; p++)
                {
                    expectedGradient[2 * slot + p] += dphi[p] * du2;
                    gradientMagnitude[2 * slot + p] += Math.Abs(dphi[p] * du2);
                }
            }

        // Float: positions and w rounded to 2⁻²⁴, the steep r⁻¹⁴ of the terms and sums of a few dozen terms per particle.
        var single = field.Forward.Precision == Precision.Float;
        var scale = expected.X.Concat(expected.Y).Concat(expected.Z).Max(Math.Abs) * (single ? 1e-5 : 1e-12);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(expected.X[i], adjoint.X[i], scale);
            Assert.Equal(expected.Y[i], adjoint.Y[i], scale);
            Assert.Equal(expected.Z[i], adjoint.Z[i], scale);
        }
        // Relative to the sum of the terms' magnitudes: they cancel, and the positions shown through other images
        // round differently.
        for (var k = 0; k < expectedGradient.Length; k++)
            Assert.Equal(expectedGradient[k], accumulator[k], (single ? 1e-5 : 1e-13) * gradientMagnitude[k]);
    }
}
