using System.Collections;
using System.Reflection;
using DiffSim.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffSim.Tests.Generators;

/// <summary>The pipeline caches: an unrelated edit re-runs nothing downstream of parsing, and its models hold no compiler objects.</summary>
public sealed class IncrementalTests
{
    private const string Potentials = """
        using System;
        using DiffSim;
        namespace User;
        [PairPotential] public partial struct Soft { [Parameter] public double A; [Parameter] public double S; public double Energy(double r) => A * Math.Pow(S / r, 12); }
        [PairPotential] public partial struct Wall { [Parameter] public double A; public double Energy(double r) => r < 1 ? A * (1 - r) * (1 - r) : 0; }
        """;

    private static readonly string[] Tracked = [TrackingNames.Parse, TrackingNames.Models, TrackingNames.Diagnostics];

    [Fact]
    public void An_unrelated_edit_hits_the_cache()
    {
        var compilation = GeneratorHarness.Compilation(Potentials, "namespace User; public class Other { public int X => 1; }");
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Equal(2, first.GeneratedSources.Length);

        // Edit the unrelated file, and add a new one.
        var other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace User; public class Other { public int X => 2; }", GeneratorHarness.ParseOptions, other.FilePath))
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace User; public class Third { }", GeneratorHarness.ParseOptions, "Third.cs"));
        driver = driver.RunGenerators(edited);
        var second = driver.GetRunResult().Results.Single();

        AssertNoCompilerObjects(first);
        var steps = second.TrackedSteps;
        Assert.True(steps.ContainsKey(TrackingNames.Parse) && steps.ContainsKey(TrackingNames.Models), "steps are not tracked");
        // Parsing re-runs (the compilation changed) but yields equal models ...
        Assert.All(steps[TrackingNames.Parse].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, "Parse: " + o.Reason));
        // ... so everything after it is served from the cache and no source is re-emitted.
        Assert.All(steps[TrackingNames.Models].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_an_energy_regenerates_only_that_potential()
    {
        var compilation = GeneratorHarness.Compilation(Potentials);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Potentials.Replace("Math.Pow(S / r, 12)", "Math.Pow(S / r, 10)"), GeneratorHarness.ParseOptions, tree.FilePath));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();
        var reasons = result.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(IncrementalStepRunReason.Cached, reasons);
        Assert.Contains("(^ $r -10.0)", result.GeneratedSources.Single(s => s.HintName == "User.Soft.g.cs").SourceText.ToString());
    }

    /// <summary>Walks every value the tracked steps produced and fails on ISymbol, SyntaxNode or Compilation anywhere inside.</summary>
    private static void AssertNoCompilerObjects(GeneratorRunResult result)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var name in Tracked.Where(result.TrackedSteps.ContainsKey))
        {
            foreach (var step in result.TrackedSteps[name])
            {
                foreach (var (value, _) in step.Outputs) Walk(value, name);
            }
        }

        void Walk(object? node, string path)
        {
            if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || !seen.Add(node)) return;
            Assert.False(node is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree, $"{path} holds a {node.GetType().Name}, which defeats the generator cache");
            if (node is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items) Walk(item, $"{path}[{i++}]");
            }
            foreach (var field in node.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Walk(field.GetValue(node), path + "." + field.Name);
            }
        }
    }
}
