using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using Xunit.Abstractions;

namespace DiffSim.Tests.Neural;

public class NeuralGradientTests(ITestOutputHelper output)
{
    private static int[] Probes(NeuralPairField field, params string[] names)
        => names.Select(n => field.ParameterNames.ToList().FindIndex(p => p.EndsWith(n, StringComparison.Ordinal))).ToArray();

    private void Check(NeuralPairField field, double[] theta, int[] probes, double tolerance)
    {
        Func<IIntegrator> make = () => new VelocityVerlet(0.005);
        var grad = GradientCheck.Run(field, theta, make()).ParameterGradient;
        foreach (var p in probes)
        {
            Assert.True(p >= 0);
            // h = 1e-4: below it round-off and knot-crossing kinks (the table is C¹) grow, above it truncation;
            // measured 1e-3 … 1e-6 on these probes, h = 1e-4 was closest to the adjoint (3e-9 … 4e-8).
            var fd = GradientCheck.FiniteDifference(field, theta, p, 1e-4, make);
            var rel = Math.Abs(grad[p] - fd) / Math.Abs(fd);
            output.WriteLine($"{field.ParameterNames[p]}: adjoint {grad[p]:E10} fd {fd:E10} relative {rel:E2}");
            Assert.True(rel <= tolerance, $"{field.ParameterNames[p]}: adjoint {grad[p]:R} vs {fd:R} (relative {rel:E2})");
        }
    }

    [Fact]
    public void WeightGradientMatchesFiniteDifferencesOfTheTrajectory()
    {
        var field = new NeuralPairField(["A"], NeuralNetworkTests.Small(), path: KernelPath.Scalar);
        var theta = NeuralNetworkTests.Randomised(field);
        // Every perturbation of a weight changes the whole table smoothly, so the finite difference is clean.
        Check(field, theta, Probes(field, "w1[3,5]", "b1[7]", "w2[2,9]", "w_out[4]", "b_out"), 1e-6);
    }

    [Fact]
    public void TemperatureDependentWeightGradientMatchesFiniteDifferencesOfTheTrajectory()
    {
        var field = new NeuralPairField(["A"], NeuralNetworkTests.Small(1.5), path: KernelPath.Scalar);
        var theta = NeuralNetworkTests.Randomised(field);
        Check(field, theta, Probes(field, "E.w2[2,9]", "S.w1[3,5]", "S.w_out[4]"), 1e-6);
    }

    /// <summary>
    /// <c>[train] precision = "float"</c> with a network: float forward forces and reverse pair passes, the adjoint in
    /// double. The window's weight gradient stays near the double one (float positions place a pair within its table
    /// interval only to about 10⁻⁴ of the spacing, which the knot weights carry); a wrong float pass would not.
    /// </summary>
    [Fact]
    public void FloatWindowGradientIsCloseToTheDoubleOne()
    {
        var exactField = new NeuralPairField(["A"], NeuralNetworkTests.Small(), precision: Precision.Double);
        var singleField = new NeuralPairField(["A"], NeuralNetworkTests.Small(), precision: Precision.Float);
        var theta = NeuralNetworkTests.Randomised(exactField);
        var exact = GradientCheck.Run(exactField, theta, new VelocityVerlet(0.005)).ParameterGradient;
        var single = GradientCheck.Run(singleField, theta, new VelocityVerlet(0.005)).ParameterGradient;
        var norm = Math.Sqrt(exact.Sum(g => g * g));
        var difference = Math.Sqrt(exact.Zip(single, (a, b) => (a - b) * (a - b)).Sum());
        output.WriteLine($"|float − double| / |double| of the weight gradient: {difference / norm:E2}");
        Assert.True(norm > 0, "the test gradient is degenerate");
        Assert.True(difference < 1e-3 * norm, $"the float gradient differs by {difference / norm:E2} of its norm");
    }

    [Fact]
    public void EntropyGradientCarriesTheFactorMinusT()
    {
        const double t = 2.3;
        var tField = new NeuralPairField(["A", "B"], NeuralNetworkTests.Small(t));
        var plain = new NeuralPairField(["A", "B"], NeuralNetworkTests.Small());
        var theta = NeuralNetworkTests.Randomised(tField);
        tField.SetParameters(theta);
        // The plain model with the entropy network's weights in its energy network: u_plain = S·(N_S + P).
        var plainTheta = new double[plain.ParameterCount];
        var ne = tField.Model(0, 0).Energy.ParameterCount;
        foreach (var (a, b) in new[] { (0, 0), (0, 1), (1, 1) })
            theta.AsSpan(tField.ParameterRange(a, b))[ne..].CopyTo(plainTheta.AsSpan(plain.ParameterRange(a, b)));
        plain.SetParameters(plainTheta);
        var rng = new Random(2);
        var accumulator = Enumerable.Range(0, tField.AccumulatorLength).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var gT = new double[tField.ParameterCount];
        var gPlain = new double[plain.ParameterCount];
        tField.FinishGradient(accumulator, gT);
        plain.FinishGradient(accumulator, gPlain);
        foreach (var (a, b) in new[] { (0, 0), (0, 1), (1, 1) })
        {
            var s = gT.AsSpan(tField.ParameterRange(a, b))[ne..];
            var p = gPlain.AsSpan(plain.ParameterRange(a, b));
            var nonzero = 0;
            for (var k = 0; k < s.Length; k++)
            {
                Assert.Equal(-t * p[k], s[k], 1e-12 * (Math.Abs(s[k]) + 1e-3));
                if (Math.Abs(s[k]) > 1e-6) nonzero++;
            }
            Assert.True(nonzero > s.Length / 2);
        }
        // And the tables themselves: u(r; T) = E(r) − T·S(r) with the prior in E's slot.
        var r = 1.23;
        var u = tField.PairEnergy(0, 1, r, out _);
        var uPlain = plain.PairEnergy(0, 1, r, out _);
        var e = tField.Model(0, 1).Energy.Evaluate(theta.AsSpan(tField.ParameterRange(0, 1))[..ne], r, out _);
        var sw = tField.Model(0, 1).Switch.Value(r, out _);
        var prior = tField.Model(0, 1).Prior.Value(r, out _);
        Assert.Equal(sw * (e + prior) - t * (uPlain - sw * prior), u, 1e-12);
    }
}
