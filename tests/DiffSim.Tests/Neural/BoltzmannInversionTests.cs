using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Potentials;
using DiffSim.Potentials.Neural;
using Xunit.Abstractions;

namespace DiffSim.Tests.Neural;

public class BoltzmannInversionTests(ITestOutputHelper output)
{
    private const double KT = 1.5;
    private static readonly LennardJones Lj = new(1.0, 1.0);

    private static BoltzmannInversion OfLennardJones(double? taperFrom = null)
    {
        var r = Enumerable.Range(1, 300).Select(k => 0.01 * k).ToArray();
        var g = r.Select(x => Math.Exp(-Lj.Energy(x) / KT)).ToArray();
        return new BoltzmannInversion(r, g, KT, 1e-3, taperFrom, taperFrom is null ? null : 2.5);
    }

    [Fact]
    public void RecoversThePotentialOfABoltzmannDistribution()
    {
        var bi = OfLennardJones();
        // g = 1e-3 where u = kT ln 1000 ≈ 10.4, at r ≈ 0.877: r* is the first grid point past it.
        Assert.Equal(0.88, bi.CoreRadius, 12);
        var worst = 0.0;
        for (var r = bi.CoreRadius + 0.05; r <= 3.0; r += 0.001) worst = Math.Max(worst, Math.Abs(bi.Energy(r) - Lj.Energy(r)));
        var nearCore = Math.Abs(bi.Energy(bi.CoreRadius) - Lj.Energy(bi.CoreRadius));
        output.WriteLine($"r* = {bi.CoreRadius}; max |u₀ − u| beyond r* + 0.05: {worst:E2}; at r*: {nearCore:E2}");
        Assert.True(worst < 2e-3, $"{worst:E2}");
        Assert.True(nearCore < 1e-9);
        // Inside the core: a steep, monotone repulsion continuous in value and slope with the inversion.
        Assert.Equal(bi.Energy(bi.CoreRadius + 1e-9), bi.Energy(bi.CoreRadius - 1e-9), 1e-6);
        Assert.Equal(bi.Derivative(bi.CoreRadius + 1e-9), bi.Derivative(bi.CoreRadius - 1e-9), 1e-3 * Math.Abs(bi.Derivative(bi.CoreRadius)));
        var previous = bi.Energy(bi.CoreRadius);
        for (var r = bi.CoreRadius - 0.02; r > 0.5; r -= 0.02)
        {
            var u = bi.Energy(r);
            Assert.True(u > previous && bi.Derivative(r) < 0);
            previous = u;
        }
        Assert.True(previous > 100);
        // The raw inversion clips g at the floor.
        Assert.Equal(-KT * Math.Log(1e-3), BoltzmannInversion.Invert([0.0, 1.0], KT)[0], 12);
    }

    [Fact]
    public void InitialisesATrainableTable()
    {
        var bi = OfLennardJones(taperFrom: 2.2);
        var field = DifferentiableTableField.Create(["A"], (_, _) => bi.ToTable(0.7, 2.5, 0.005), 0.3);
        Assert.Equal(bi.Energy(1.3), field.PairEnergy(0, 0, 1.3, out var du), 1e-8);
        Assert.Equal(bi.Derivative(1.3), du, 1e-6);
        Assert.Equal(0.0, field.PairEnergy(0, 0, 2.5, out du), 12);
        Assert.Equal(0.0, du, 12);
        // Untapered, the inverted table is LJ cut (unshifted) at 2.5 up to the spline error.
        var plain = OfLennardJones();
        var untapered = DifferentiableTableField.Create(["A"], (_, _) => plain.ToTable(0.7, 2.5, 0.005), 0.3);
        var state = GradientCheck.Liquid();
        var lj = new PairForceField<LennardJones>(PairTable<LennardJones>.Single(Lj, 2.5, false), 0.3).Compute(state.Clone());
        var e = untapered.Compute(state).Energy;
        output.WriteLine($"energy of the LJ liquid: Boltzmann-inverted table {e:F6}, LJ cut at 2.5 {lj.Energy:F6}");
        Assert.Equal(lj.Energy, e, 1e-4 * Math.Abs(lj.Energy));
    }

    [Fact]
    public void PrefitBringsTheNetworkToTheInvertedPotential()
    {
        var bi = OfLennardJones(taperFrom: 2.2);
        var options = new NeuralPairOptions
        {
            Cutoff = 2.5,
            Network = new PairNetworkShape { Gaussians = 16, Width = 16, Depth = 2 },
            Prior = new RepulsivePrior(1.0, 0.9, 12),
            GridStart = 0.7,
            GridSpacing = 0.01,
        };
        var field = new NeuralPairField(["A"], options);
        var initial = field.InitialParameters();
        var (_, before) = field.Prefit(initial, (_, _, r) => bi.Energy(r), maxEnergy: 5 * KT, steps: 0);
        var (theta, after) = field.Prefit(initial, (_, _, r) => bi.Energy(r), maxEnergy: 5 * KT, steps: 250, learningRate: 0.01);
        output.WriteLine($"prefit RMS error: {before:F4} before, {after:F4} after 250 Adam steps");
        Assert.True(after < 0.05 * KT && after < before / 10, $"{before} → {after}");
        var current = new double[theta.Length];
        field.GetParameters(current);
        Assert.Equal(theta, current);
        Assert.Equal(bi.Energy(1.12), field.PairEnergy(0, 0, 1.12, out _), 0.15);
    }
}
