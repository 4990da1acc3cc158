using Microsoft.CodeAnalysis;

namespace DiffSim.Tests.Generators;

/// <summary>Every diagnostic fires, with its id, at the offending syntax, and nothing is generated for a broken potential.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using System;\nusing DiffSim;\nnamespace User;\n";

    /// <summary>Runs the generator and asserts exactly one diagnostic with the id, located on the expected text; returns its message.</summary>
    private static string AssertSingle(string id, string expectedText, string source)
    {
        var result = GeneratorHarness.Run(Usings + source);
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(expectedText, GeneratorHarness.TextAt(result.Output, diagnostic.Location));
        Assert.Empty(result.Run.GeneratedTrees);
        return diagnostic.GetMessage();
    }

    [Fact]
    public void DSG001_missing_partial()
        => AssertSingle("DSG001", "P", "[PairPotential] public struct P { [Parameter] public double A; public double Energy(double r) => A / r; }");

    [Fact]
    public void DSG001_containing_type_not_partial()
        => AssertSingle("DSG001", "P", "public class Outer { [PairPotential] public partial struct P { [Parameter] public double A; public double Energy(double r) => A / r; } }");

    [Theory]
    [InlineData("public float Energy(double r) => (float)r;", "Energy", "return double")]
    [InlineData("public double Energy(double r, double s) => r * s;", "Energy", "exactly one parameter")]
    [InlineData("public static double Energy(double r) => r;", "Energy", "not be static")]
    [InlineData("private double Energy(double r) => r;", "Energy", "public")]
    [InlineData("public double Energy(float r) => r;", "Energy", "double")]
    public void DSG002_energy_with_wrong_signature(string energy, string expectedText, string expectedReason)
    {
        var message = AssertSingle("DSG002", expectedText, "[PairPotential] public partial struct P { [Parameter] public double A; " + energy + " }");
        Assert.Contains(expectedReason, message);
    }

    [Fact]
    public void DSG002_no_energy()
        => AssertSingle("DSG002", "P", "[PairPotential] public partial struct P { [Parameter] public double A; }");

    [Theory]
    [InlineData("[Parameter] public float B;", "B")]
    [InlineData("[Parameter] public static double B;", "B")]
    [InlineData("[Parameter] public readonly double B;", "B")]
    [InlineData("[Parameter] public int B;", "B")]
    public void DSG003_parameter_not_a_double_field(string field, string expectedText)
        => AssertSingle("DSG003", expectedText, "[PairPotential] public partial struct P { [Parameter] public double A; " + field + " public double Energy(double r) => A / r; }");

    [Theory]
    [InlineData("{ var s = 0.0; for (var i = 0; i < 3; i++) s += A / r; return s; }", "for (var i = 0; i < 3; i++) s += A / r;", "loop")]
    [InlineData("{ if (r < 1) return A; return A / r; }", "if (r < 1) return A;", "if statement")]
    [InlineData("{ var x = A / r; x = x * 2; return x; }", "x = x * 2;", "ExpressionStatement")]
    [InlineData("=> A % r;", "A % r", "operator")]
    [InlineData("=> A * (1 / 2) / r;", "1 / 2", "integer division")]
    [InlineData("=> (int)A / r;", "(int)A", "casts")]
    public void DSG004_unsupported_syntax(string body, string expectedText, string expectedReason)
    {
        var message = AssertSingle("DSG004", expectedText, "[PairPotential] public partial struct P { [Parameter] public double A; public double Energy(double r) " + body + " }");
        Assert.Contains(expectedReason, message);
    }

    [Theory]
    [InlineData("=> A * Math.Floor(r);", "Math.Floor(r)")]
    [InlineData("=> A * Helper(r);", "Helper(r)")]
    [InlineData("=> A * Math.Max(r, 1.0);", "Math.Max(r, 1.0)")]
    public void DSG005_unknown_function(string body, string expectedText)
        => AssertSingle("DSG005", expectedText, "[PairPotential] public partial struct P { [Parameter] public double A; private static double Helper(double x) => x; public double Energy(double r) " + body + " }");

    [Theory]
    [InlineData("=> A * B / r;", "B")]
    [InlineData("=> A * S / r;", "S")]
    public void DSG006_unknown_value(string body, string expectedText)
        => AssertSingle("DSG006", expectedText, "[PairPotential] public partial struct P { [Parameter] public double A; public double B; public static readonly double S = 2; public double Energy(double r) " + body + " }");

    [Fact]
    public void DSG007_recursive_potential_call()
    {
        var result = GeneratorHarness.Run(Usings + """
            [PairPotential] public partial struct P { [Parameter] public double A; public double Energy(double r) => new Q { B = A }.Energy(r); }
            [PairPotential] public partial struct Q { [Parameter] public double B; public double Energy(double r) => new P { A = B }.Energy(r) + B; }
            """);
        Assert.NotEmpty(result.GeneratorDiagnostics);
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal("DSG007", d.Id));
        Assert.Contains(result.GeneratorDiagnostics, d => d.GetMessage().Contains("recursive"));
        Assert.Empty(result.Run.GeneratedTrees);
    }

    [Fact]
    public void DSG007_potential_call_on_an_unbound_receiver()
    {
        var result = GeneratorHarness.Run(Usings + """
            [PairPotential] public partial struct Q { [Parameter] public double B; public double Energy(double r) => B / r; }
            [PairPotential] public partial struct P { [Parameter] public double A; public static Q Inner; public double Energy(double r) => A * Inner.Energy(r); }
            """);
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSG007", diagnostic.Id);
        Assert.Equal("Inner.Energy(r)", GeneratorHarness.TextAt(result.Output, diagnostic.Location));
        // Q is fine and generated; P is not.
        Assert.EndsWith("User.Q.g.cs", Assert.Single(result.Run.GeneratedTrees).FilePath);
    }

    [Fact]
    public void DSG008_generic_potential()
        => AssertSingle("DSG008", "P", "[PairPotential] public partial struct P<T> { [Parameter] public double A; public double Energy(double r) => A / r; }");

    [Fact]
    public void DSG004_integer_division_in_a_constant_that_Energy_reads()
    {
        // const double Half = 1 / 2 is 0: the potential would vanish without a word.
        var message = AssertSingle("DSG004", "Half", "[PairPotential] public partial struct P { private const double Half = 1 / 2; [Parameter] public double A; public double Energy(double r) => Half * A / r; }");
        Assert.Contains("1 / 2 divides integers", message);
    }

    [Fact]
    public void DSG008_nested_in_a_generic_type_names_the_container()
    {
        var message = AssertSingle("DSG008", "P", "public partial class Outer<T> { [PairPotential] public partial struct P { [Parameter] public double A; public double Energy(double r) => A / r; } }");
        Assert.Contains("'Outer' contains it", message);
    }

    [Theory]
    [InlineData("r")]
    [InlineData("s")]
    [InlineData("r2")]
    public void DSG009_parameter_named_like_the_distance(string name)
        => AssertSingle("DSG009", name, $"[PairPotential] public partial struct P {{ [Parameter] public double eps; [Parameter] public double {name}; public double Energy(double x) => eps * Math.Pow({name} / x, 12); }}");

    [Fact]
    public void DSG010_record_struct()
        => AssertSingle("DSG010", "P", "[PairPotential] public partial record struct P { [Parameter] public double A; public double Energy(double r) => A / r; }");

    [Fact]
    public void Every_descriptor_is_covered_and_ids_are_unique()
    {
        var ids = DiffSim.Generators.DiagnosticDescriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => $"DSG{i:000}"), ids);
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).Where(n => n.StartsWith("DSG")).Select(n => n[..6]).Distinct();
        Assert.Equal(ids, tested.OrderBy(x => x));
    }

    [Fact]
    public void A_valid_potential_next_to_a_broken_one_is_still_generated()
    {
        var result = GeneratorHarness.Run(Usings + """
            [PairPotential] public partial struct Good { [Parameter] public double A; public double Energy(double r) => A / r; }
            [PairPotential] public partial struct Bad { [Parameter] public double A; public double Energy(double r) => A * Math.Floor(r); }
            """);
        Assert.Equal("DSG005", Assert.Single(result.GeneratorDiagnostics).Id);
        Assert.Single(result.Run.GeneratedTrees);
        Assert.EndsWith("User.Good.g.cs", result.Run.GeneratedTrees[0].FilePath);
    }
}
