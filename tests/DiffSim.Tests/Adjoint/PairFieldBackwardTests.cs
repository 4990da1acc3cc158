using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Potentials;
using DiffSim.Systems;
using DiffSim.Tests.Observables;

namespace DiffSim.Tests.Adjoint;

/// <summary>
/// The vectorised reverse pass of <see cref="DifferentiablePairField{TPotential}"/> (four partners per vector, grouped by
/// type pair, lanes masked at the cutoff and at group ends) against its per-pair definition summed over every pair.
/// </summary>
public class PairFieldBackwardTests
{
    [Fact]
    public void MixtureReversePassEqualsThePerPairSum()
    {
        // Kob–Andersen-like cutoffs per pair, so the cutoff mask differs between groups of one particle.
        var state = ObservableSystems.Jiggled(4, 0.8442, 0.2, 5, fractionB: 0.3);
        var table = new PairTable<LennardJones>(2);
        table.Set(0, 0, new LennardJones(1.0, 1.0), 2.5, shift: false);
        table.Set(0, 1, new LennardJones(1.5, 0.8), 2.0, shift: false);
        table.Set(1, 1, new LennardJones(0.5, 0.88), 2.2, shift: false);
        var field = new DifferentiablePairField<LennardJones>(new PairForceField<LennardJones>(table, 0.3), false, ["A", "B"]);
        var n = state.Count;
        var w = ObservableSystems.Coefficients(3 * n, 3);
        var (wx, wy, wz) = (w.AsSpan(0, n).ToArray(), w.AsSpan(n, n).ToArray(), w.AsSpan(2 * n, n).ToArray());

        var adjoint = new PhaseSpaceGradient(n);
        var accumulator = new double[field.AccumulatorLength];
        field.Backward(state, wx, wy, wz, adjoint, accumulator);

        var expected = new PhaseSpaceGradient(n);
        var expectedGradient = new double[field.AccumulatorLength];
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
                for (var p = 0; p < 2; p++) expectedGradient[2 * slot + p] += dphi[p] * du2;
            }

        var scale = expected.X.Concat(expected.Y).Concat(expected.Z).Max(Math.Abs);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(expected.X[i], adjoint.X[i], 1e-12 * scale);
            Assert.Equal(expected.Y[i], adjoint.Y[i], 1e-12 * scale);
            Assert.Equal(expected.Z[i], adjoint.Z[i], 1e-12 * scale);
        }
        for (var k = 0; k < expectedGradient.Length; k++)
            Assert.Equal(expectedGradient[k], accumulator[k], 1e-12 * Math.Abs(expectedGradient[k]));
    }
}
