using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Potentials.Neural;
using Xunit.Abstractions;

namespace DiffSim.Tests.Neural;

public class NeuralNetworkTests(ITestOutputHelper output)
{
    internal static NeuralPairOptions Small(double? temperature = null, Activation activation = Activation.Silu) => new()
    {
        Cutoff = 2.5,
        Network = new PairNetworkShape { Gaussians = 16, Width = 16, Depth = 2, Activation = activation },
        Prior = new RepulsivePrior(1.0, 1.0, 12),
        GridStart = 0.6,
        Temperature = temperature,
        Seed = 11,
    };

    /// <summary>θ of the initialisation plus noise, so no layer is zero and every weight matters.</summary>
    internal static double[] Randomised(NeuralPairField field, double scale = 0.1, int seed = 4)
    {
        var theta = field.InitialParameters();
        var rng = new Random(seed);
        for (var p = 0; p < theta.Length; p++) theta[p] += scale * (2 * rng.NextDouble() - 1);
        return theta;
    }

    [Theory]
    [InlineData(Activation.Silu)]
    [InlineData(Activation.Elu)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Tanh)]
    public void DerivativeMatchesFiniteDifferences(Activation activation)
    {
        var field = new NeuralPairField(["A"], Small(1.3, activation));
        var theta = Randomised(field);
        var model = field.Model(0, 0);
        foreach (var r in new[] { 0.83, 1.07, 1.5, 2.13, 2.41 })
        {
            const double h = 1e-5;
            var fd = (model.Evaluate(theta, r + h, out _) - model.Evaluate(theta, r - h, out _)) / (2 * h);
            model.Evaluate(theta, r, out var du);
            Assert.True(Math.Abs(du - fd) <= 1e-7 * Math.Abs(du) + 1e-9, $"{activation} r = {r}: du/dr {du:R} vs {fd:R}");
        }
        // u and u' vanish at the cutoff.
        Assert.Equal(0.0, model.Evaluate(theta, 2.5, out var dc));
        Assert.Equal(0.0, dc);
        Assert.True(Math.Abs(model.Evaluate(theta, 2.5 - 1e-4, out _)) < 1e-9);
    }

    [Fact]
    public void ReferenceTemperatureReducesTheEntropyWeight()
    {
        // With T₀ = 300 at T = 360, N_S enters as −((T − T₀)/T₀)·N_S = −0.2·N_S: the unreduced model at "T" = 0.2.
        var reduced = new NeuralPairField(["A"], Small(360) with { ReferenceTemperature = 300 }).Model(0, 0);
        var plain = new NeuralPairField(["A"], Small(0.2)).Model(0, 0);
        var atReference = new NeuralPairField(["A"], Small(300) with { ReferenceTemperature = 300 }).Model(0, 0);
        Assert.Equal(0.2, reduced.EntropyWeight, 12);
        Assert.Equal(0.0, atReference.EntropyWeight);
        var theta = Randomised(new NeuralPairField(["A"], Small(360)));
        var withoutEntropy = (double[])theta.Clone();
        Array.Clear(withoutEntropy, reduced.Energy.ParameterCount, reduced.Entropy!.ParameterCount);
        foreach (var r in new[] { 0.83, 1.07, 1.5, 2.13 })
        {
            var u = reduced.Evaluate(theta, r, out var du);
            Assert.Equal(plain.Evaluate(theta, r, out var dp), u, 12);
            Assert.Equal(dp, du, 12);
            // N_S matters away from T₀ and drops out at T₀.
            Assert.True(Math.Abs(reduced.Evaluate(withoutEntropy, r, out _) - u) > 1e-4, $"r = {r}: N_S has no effect");
            Assert.Equal(atReference.Evaluate(withoutEntropy, r, out _), atReference.Evaluate(theta, r, out _), 12);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1.7)]
    public void ParameterVectorJacobianProductMatchesFiniteDifferences(double? temperature)
    {
        var field = new NeuralPairField(["A"], Small(temperature));
        var theta = Randomised(field);
        var model = field.Model(0, 0);
        double[] r = [0.82, 0.95, 1.12, 1.4, 1.9, 2.2, 2.45];
        var rng = new Random(9);
        var a = r.Select(_ => rng.NextDouble() - 0.5).ToArray();
        var b = r.Select(_ => rng.NextDouble() - 0.5).ToArray();
        double F(double[] t)
        {
            var sum = 0.0;
            for (var k = 0; k < r.Length; k++) sum += a[k] * model.Evaluate(t, r[k], out var d) + b[k] * d;
            return sum;
        }
        var grad = new double[theta.Length];
        model.Backward(theta, r, a, b, grad);
        var worst = 0.0;
        var scale = grad.Max(Math.Abs);
        for (var p = 0; p < theta.Length; p += 7)
        {
            // Fourth-order central difference: truncation O(h⁴) ≈ 1e-12 and round-off ≈ 1e-14/h stay below 1e-7.
            const double h = 1e-3;
            double At(double d) { var t = (double[])theta.Clone(); t[p] += d; return F(t); }
            var fd = (8 * (At(h) - At(-h)) - (At(2 * h) - At(-2 * h))) / (12 * h);
            // Relative error, floored at 1e-4 of the largest gradient entry: entries of weights on Gaussians far from the
            // probed r (w1[·,0] at μ = 0) are ~1e-6, where the difference's round-off (~1e-11) is all that is left.
            var err = Math.Abs(grad[p] - fd) / Math.Max(Math.Abs(fd), 1e-4 * scale);
            worst = Math.Max(worst, err);
            Assert.True(err <= 1e-7, $"{field.ParameterNames[p]}: VJP {grad[p]:R} vs {fd:R}");
        }
        output.WriteLine($"T = {temperature}: worst relative VJP error over {theta.Length / 7} parameters {worst:E2} (largest |∂/∂θ| {scale:E2})");
    }

    [Fact]
    public void TableMatchesTheNetworkOnTheDefaultGrid()
    {
        // Default shape (32 Gaussians, 2×64 SiLU), default grid Δ = r_c/500 = 0.005σ from 0.25 r_c, LJ-like prior.
        var options = new NeuralPairOptions { Cutoff = 2.5, Prior = new RepulsivePrior(4.0, 1.0, 12), Seed = 3 };
        var field = new NeuralPairField(["A"], options);
        var theta = Randomised(field, 0.05);
        field.SetParameters(theta);
        var table = field.Tables.Table(0, 0);
        Assert.Equal(0.005, table.Spacing, 12);
        double eu = 0, ef = 0, euCore = 0, efCore = 0, uScale = 0;
        for (var r = options.ResolvedGridStart; r < 2.5; r += 1e-4)
        {
            var u = field.PairEnergy(0, 0, r, out var du);
            var du_ = Math.Abs(table.Energy(r) - u);
            var df = Math.Abs(table.Derivative(r) - du);
            if (r < 0.9) { euCore = Math.Max(euCore, du_ / Math.Abs(u)); efCore = Math.Max(efCore, df / Math.Abs(du)); }
            else { eu = Math.Max(eu, du_); ef = Math.Max(ef, df); uScale = Math.Max(uScale, Math.Abs(u)); }
        }
        output.WriteLine($"r in [0.9, 2.5): max|u_table − u_net| {eu:E2}, max|F_table − F_net| {ef:E2} (max |u| there {uScale:F2}); " +
                         $"r in [0.625, 0.9): relative {euCore:E2} in u, {efCore:E2} in F");
        // Random weights with Gaussians of width 0.08σ: rougher than a fitted network; u⁗ ~ |u|/w⁴ sets the error.
        Assert.True(eu < 3e-6, $"energy interpolation error {eu:E2}");
        Assert.True(ef < 2e-3, $"force interpolation error {ef:E2}");
        Assert.True(euCore < 1e-5 && efCore < 1e-4, $"core relative errors {euCore:E2} {efCore:E2}");
    }

    [Fact]
    public void TabulatedForcesMatchTheNetworkPerPair()
    {
        var field = new NeuralPairField(["A"], Small(), path: KernelPath.Scalar);
        var theta = Randomised(field);
        field.SetParameters(theta);
        var direct = new PairForceField<NeuralPairPotential>(
            PairTable<NeuralPairPotential>.Single(new NeuralPairPotential(field.Model(0, 0), theta), 2.5, false), 0.3, Precision.Double, KernelPath.Scalar);
        var s1 = GradientCheck.Liquid();
        var s2 = s1.Clone();
        var e1 = field.Compute(s1).Energy;
        var e2 = direct.Compute(s2).Energy;
        var worst = 0.0;
        for (var i = 0; i < s1.Count; i++) worst = Math.Max(worst, Math.Abs(s1.Fx[i] - s2.Fx[i]));
        output.WriteLine($"energy table {e1:R} direct {e2:R}; max |ΔFx| {worst:E2}");
        Assert.Equal(e2, e1, 1e-7 * Math.Abs(e2));
        Assert.True(worst < 1e-4);
    }
}
