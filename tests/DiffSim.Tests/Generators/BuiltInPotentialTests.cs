using DiffSim.Potentials;
using Xunit.Abstractions;

namespace DiffSim.Tests.Generators;

/// <summary>The built-in generated potentials: derivatives against finite differences, kernel forms against each other.</summary>
public sealed class BuiltInPotentialTests(ITestOutputHelper output)
{
    private static PotentialCase Case<TP>(double[] theta, double rMin, double rMax, params double[] kinks) where TP : struct, IPairPotential<TP>
        => new(typeof(TP).Name, new Probe<TP>(), theta, rMin, rMax, kinks);

    public static readonly PotentialCase[] Cases =
    [
        Case<LennardJones>([1.3, 0.9], 0.75, 3.0),
        Case<Mie>([1.1, 1.05, 13.5, 6.2], 0.9, 3.5),
        Case<Morse>([0.8, 1.7, 1.2], 0.6, 4.0),
        Case<Yukawa>([2.5, 0.8], 0.3, 6.0),
        Case<WeeksChandlerAndersen>([1.2, 1.0], 0.8, 2.0, 1.122462048309373),
        Case<Buckingham>([1000.0, 0.3, 2.0], 0.6, 4.0),
        Case<SoftRepulsion>([0.7, 1.1], 0.7, 3.0),
        Case<GaussianCore>([2.0, 0.8], 0.05, 3.0),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.Name);
        return data;
    }

    private static PotentialCase Get(string name) => Cases.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Derivatives_and_parameter_gradients_match_finite_differences(string name)
    {
        var worst = PotentialChecks.AssertDerivativesMatchFiniteDifferences(Get(name));
        output.WriteLine($"{name}: worst relative error against Ridders finite differences {worst:E2}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Simd_gpu_and_scalar_forms_agree(string name)
    {
        var (d, f) = PotentialChecks.AssertKernelFormsAgree(Get(name), out var where);
        output.WriteLine($"{name}: worst relative error double {d:E2}, float {f:E2} ({where})");
    }

    [Fact]
    public void Lennard_jones_keeps_its_contract_and_values()
    {
        var lj = new LennardJones(1.5, 2.0);
        Assert.Equal(2, LennardJones.ParameterCount);
        Assert.Equal(["epsilon", "sigma"], LennardJones.ParameterNames.ToArray());
        Span<double> p = stackalloc double[2];
        lj.WriteParameters(p);
        Assert.Equal([1.5, 2.0], p.ToArray());
        Assert.Equal(lj, LennardJones.FromParameters([1.5, 2.0]));
        // u(σ) = 0, u(2^{1/6}σ) = −ε, u'(2^{1/6}σ) = 0, u''(2^{1/6}σ) = 72ε/(2^{1/3}σ²).
        var rMin = Math.Pow(2, 1.0 / 6) * 2.0;
        Assert.Equal(0.0, lj.Energy(2.0), 12);
        Assert.Equal(-1.5, lj.Energy(rMin), 12);
        Assert.Equal(0.0, lj.Derivative(rMin), 11);
        Assert.Equal(72 * 1.5 / (Math.Pow(2, 1.0 / 3) * 4.0), lj.SecondDerivative(rMin), 11);
        // φ at r = σ: −u'(σ)/σ = 24ε/σ².
        lj.Evaluate(4.0, out double e, out double f);
        Assert.Equal(0.0, e, 12);
        Assert.Equal(24 * 1.5 / 4.0, f, 11);
    }

    [Fact]
    public void Wca_is_zero_beyond_the_cutoff_and_continuous_at_it()
    {
        var wca = new WeeksChandlerAndersen(1.2, 1.0);
        var rc = WeeksChandlerAndersen.CutoffOverSigma;
        Assert.Equal(0.0, wca.Energy(rc * 1.0001));
        Assert.Equal(0.0, wca.Derivative(rc * 1.0001));
        // u and u' vanish at the cutoff (the Lennard-Jones minimum); u'' jumps from 72ε/(2^{1/3}σ²) to 0.
        Assert.Equal(0.0, wca.Energy(rc * (1 - 1e-7)), 9);
        Assert.Equal(0.0, wca.Derivative(rc * (1 - 1e-7)), 4);
        Assert.Equal(72 * 1.2 / Math.Pow(2, 1.0 / 3), wca.SecondDerivative(rc * (1 - 1e-9)), 5);
        wca.Evaluate(1.5 * 1.5, out double e, out double f);
        Assert.Equal(0.0, e);
        Assert.Equal(0.0, f);
    }

    [Fact]
    public void Mie_with_twelve_six_exponents_is_lennard_jones()
    {
        var mie = new Mie(1.3, 0.9, 12, 6);
        var lj = new LennardJones(1.3, 0.9);
        foreach (var r in new[] { 0.8, 1.0, 1.3, 2.5 })
        {
            Assert.Equal(lj.Energy(r), mie.Energy(r), 1e-12 * Math.Abs(lj.Energy(r)) + 1e-15);
            Assert.Equal(lj.Derivative(r), mie.Derivative(r), 1e-11 * Math.Abs(lj.Derivative(r)) + 1e-14);
        }
    }
}
