using System.Text.RegularExpressions;

namespace DiffSim.Tests.Generators;

/// <summary>The shape of the emitted kernels: no square root for even potentials, one reciprocal, shared subexpressions.</summary>
public sealed class EmitterTests
{
    private const string Source = """
        using System;
        using DiffSim;
        namespace User;
        [PairPotential] public partial struct Lj { [Parameter] public double Epsilon; [Parameter] public double Sigma;
            public double Energy(double r) { var s6 = Math.Pow(Sigma / r, 6); return 4 * Epsilon * (s6 * s6 - s6); } }
        [PairPotential] public partial struct Gauss { [Parameter] public double Epsilon; [Parameter] public double Sigma;
            public double Energy(double r) { var x = r / Sigma; return Epsilon * Math.Exp(-(x * x)); } }
        [PairPotential] public partial struct Buck { [Parameter] public double A; [Parameter] public double Rho; [Parameter] public double C;
            public double Energy(double r) => A * Math.Exp(-r / Rho) - C / Math.Pow(r, 6); }
        """;

    private static readonly Lazy<Dictionary<string, string>> Generated = new(() =>
    {
        var result = GeneratorHarness.Run(Source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        return result.Run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
    });

    /// <summary>The body of the Vector256 Evaluate overload.</summary>
    private static string Vector256Evaluate(string type)
    {
        var text = Generated.Value[$"User.{type}.g.cs"];
        var start = text.IndexOf("Evaluate<T>(global::System.Runtime.Intrinsics.Vector256<T> r2", StringComparison.Ordinal);
        var end = text.IndexOf("forceOverR = ", start, StringComparison.Ordinal);
        return text[start..text.IndexOf('\n', end)];
    }

    private static int Count(string text, string pattern) => Regex.Matches(text, pattern).Count;

    [Theory]
    [InlineData("Lj")]
    [InlineData("Gauss")]
    public void Even_potentials_read_r2_without_a_square_root(string type)
        => Assert.Equal(0, Count(Vector256Evaluate(type), "Sqrt"));

    [Fact]
    public void Odd_potentials_take_one_square_root()
        => Assert.Equal(1, Count(Vector256Evaluate("Buck"), "Sqrt"));

    [Fact]
    public void Lennard_jones_costs_one_division_and_shares_its_powers()
    {
        var body = Vector256Evaluate("Lj");
        Assert.Equal(1, Count(body, @" / "));
        // The energy and φ share one chain of powers of 1/r²: u needs s⁻³, s⁻⁶ and φ needs s⁻⁴, s⁻⁷, each one multiply.
        var laneMultiplies = Regex.Matches(body, @"var _v\d+ = _v\d+ \* _v\d+;").Count;
        Assert.Equal(5, laneMultiplies);
        Assert.Equal(0, Count(body, "Pow"));
    }

    [Fact]
    public void Energy_expression_is_canonical()
    {
        // (σ/r)⁶ expands to σ⁶·r⁻⁶ and 4ε(s6² − s6) to a sum of two monomials.
        Assert.Contains("EnergyExpression = \"(* 4.0 $Epsilon (+ (* (^ $Sigma 12.0) (^ $r -12.0)) (* -1.0 (^ $Sigma 6.0) (^ $r -6.0))))\"", Generated.Value["User.Lj.g.cs"]);
    }
}
