using System.Reflection;
using Xunit.Abstractions;

namespace DiffSim.Tests.Generators;

/// <summary>Potentials written the way a user would, compiled at test time through the generator, then checked numerically.</summary>
public sealed class UserPotentialTests(ITestOutputHelper output)
{
    public const string Source = """
        using System;
        using DiffSim;
        using DiffSim.Numerics;

        namespace UserPotentials;

        [PairPotential]
        public partial struct Buck
        {
            [Parameter] public double A;
            [Parameter] public double Rho;
            [Parameter] public double C;
            public double Energy(double r) => A * Math.Exp(-r / Rho) - C / Math.Pow(r, 6);
        }

        /// <summary>Piecewise: a harmonic well inside R0 and an exponential tail outside (u' jumps at R0).</summary>
        [PairPotential]
        public partial struct Piecewise
        {
            [Parameter] public double K;
            [Parameter] public double R0;
            public double Energy(double r) => r < R0 ? K * (r - R0) * (r - R0) - K : -K * Math.Exp(-(r - R0) / R0);
        }

        /// <summary>Locals, tanh, sin, cos, log, sqrt, a const field.</summary>
        [PairPotential]
        public partial struct Transcendental
        {
            private const double Shift = 1.0;
            [Parameter] public double A;
            [Parameter] public double B;
            [Parameter] public double W;
            public double Energy(double r)
            {
                var x = r / B;
                var t = Math.Tanh(x - Shift);
                return A * (t * t + Math.Sin(W * r) * Math.Cos(r) / r) + Math.Log(1 + x * x) + Math.Sqrt(r + B);
            }
        }

        /// <summary>The real-space Ewald term q·erfc(αr)/r.</summary>
        [PairPotential]
        public partial struct EwaldReal
        {
            [Parameter] public double Q;
            [Parameter] public double Alpha;
            public double Energy(double r) => Q * SimdMath.Erfc(Alpha * r) / r;
        }

        /// <summary>A trainable real exponent, a fixed real power, odd powers written as products, cosh.</summary>
        [PairPotential]
        public partial struct Powers
        {
            [Parameter] public double A;
            [Parameter] public double P;
            public double Energy(double r) => A * Math.Pow(r, -P) + 0.25 * Math.Pow(r, 1.5) - 0.01 * r * r * r + 0.1 * Math.Cosh(r / P);
        }

        /// <summary>A potential built on another one through its Energy, with a local instance and a conditional.</summary>
        [PairPotential]
        public partial struct Core
        {
            [Parameter] public double Epsilon;
            [Parameter] public double Sigma;
            public Core(double epsilon, double sigma) { Epsilon = epsilon; Sigma = sigma; }
            public double Energy(double r) => Epsilon * Math.Pow(Sigma / r, 9);
        }

        /// <summary>Conditions on the parameters alone: one in a coefficient, one choosing between two functions of r.</summary>
        [PairPotential]
        public partial struct Switched
        {
            [Parameter] public double A;
            [Parameter] public double B;
            public double Energy(double r) => (A > B ? A : B) * Math.Exp(-r / B) + (A > 1 ? A / (r * r) : B * r);
        }

        /// <summary>A parameter named like a keyword: the generated code reads it as @base.</summary>
        [PairPotential]
        public partial struct Keyword
        {
            [Parameter] public double @base;
            [Parameter] public double Sigma;
            public double Energy(double r) => @base * Math.Exp(-r / Sigma) / r;
        }

        [PairPotential]
        public partial struct CoreWithTail
        {
            [Parameter] public double Epsilon;
            [Parameter] public double Sigma;
            [Parameter] public double Kappa;
            public double Energy(double r)
            {
                var core = new Core(2 * Epsilon, Sigma);
                var tail = -Epsilon * Math.Exp(-Kappa * (r - Sigma));
                return core.Energy(r) + (r > Sigma ? tail : -Epsilon + Kappa * Epsilon * (r - Sigma)) + new Core { Sigma = Sigma, Epsilon = 0.5 }.Energy(2 * r);
            }
        }
        """;

    private static readonly Lazy<Assembly> Compiled = new(() => GeneratorHarness.CompileClean(Source));

    private static IProbe Probe(string name) => DiffSim.Tests.Generators.Probe<DiffSim.Potentials.LennardJones>.For(Compiled.Value.GetType("UserPotentials." + name, throwOnError: true)!);

    public static TheoryData<string> Names() => new() { "Buck", "Piecewise", "Transcendental", "EwaldReal", "Powers", "CoreWithTail", "Switched", "Keyword" };

    private static PotentialCase Case(string name) => name switch
    {
        "Buck" => new(name, Probe(name), [1000.0, 0.3, 2.0], 0.6, 4.0, []),
        "Piecewise" => new(name, Probe(name), [3.0, 1.2], 0.5, 4.0, [1.2]),
        "Transcendental" => new(name, Probe(name), [1.3, 0.7, 2.1], 0.3, 5.0, []),
        "EwaldReal" => new(name, Probe(name), [1.5, 0.9], 0.2, 5.0, []),
        "Powers" => new(name, Probe(name), [2.0, 7.3], 0.5, 3.0, []),
        "CoreWithTail" => new(name, Probe(name), [1.1, 0.9, 1.7], 0.6, 4.0, [0.9]),
        "Switched" => new(name, Probe(name), [2.0, 0.45], 0.5, 4.0, []),
        "Keyword" => new(name, Probe(name), [1.7, 0.8], 0.4, 4.0, []),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Derivatives_and_parameter_gradients_match_finite_differences(string name)
    {
        var worst = PotentialChecks.AssertDerivativesMatchFiniteDifferences(Case(name));
        output.WriteLine($"{name}: worst relative error against Ridders finite differences {worst:E2}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Simd_gpu_and_scalar_forms_agree(string name)
    {
        var (d, f) = PotentialChecks.AssertKernelFormsAgree(Case(name), out var where);
        output.WriteLine($"{name}: worst relative error double {d:E2}, float {f:E2} ({where})");
    }

    [Fact]
    public void Nested_energy_is_inlined_with_bound_parameters()
    {
        var p = Probe("CoreWithTail");
        double[] theta = [1.1, 0.9, 1.7];
        static double Core(double eps, double sigma, double r) => eps * Math.Pow(sigma / r, 9);
        foreach (var r in new[] { 0.7, 1.3, 2.2 })
        {
            var tail = r > 0.9 ? -1.1 * Math.Exp(-1.7 * (r - 0.9)) : -1.1 + 1.7 * 1.1 * (r - 0.9);
            var expected = Core(2.2, 0.9, r) + tail + Core(0.5, 0.9, 2 * r);
            Assert.Equal(expected, p.Energy(theta, r), 1e-13 * Math.Abs(expected));
            p.Evaluate(theta, r * r).Energy.Equals(0);
            Assert.Equal(expected, p.Evaluate(theta, r * r).Energy, 1e-12 * Math.Abs(expected));
        }
    }

    [Fact]
    public void Erfc_is_accurate()
    {
        // Reference values from the defining integral (Abramowitz and Stegun, table 7.1, extended).
        (double X, double Erfc)[] table =
        [
            (0.0, 1.0), (0.1, 0.8875370839817152), (0.5, 0.4795001221869535), (1.0, 0.15729920705028513),
            (2.0, 0.004677734981047266), (2.5, 4.069520174449590e-4), (3.0, 2.209049699858544e-05), (5.0, 1.5374597944280349e-12),
            (-1.0, 1.8427007929497148),
        ];
        foreach (var (x, erfc) in table)
        {
            Assert.Equal(erfc, DiffSim.Numerics.SimdMath.Erfc(x), 2e-15 * erfc + 1e-300);
        }
    }
}
