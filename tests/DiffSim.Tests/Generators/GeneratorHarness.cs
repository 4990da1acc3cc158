using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using DiffSim.Generators;
using DiffSim.Potentials;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffSim.Tests.Generators;

/// <summary>Runs the pair-potential generator on source text with <see cref="CSharpGeneratorDriver"/>, and compiles and loads the result.</summary>
public static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(LennardJones).Assembly.Location)
            .DistinctBy(Path.GetFileName);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources)
        => CSharpCompilation.Create(
            "UserPotentials" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        [new PairPotentialGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public sealed record Result(Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run, GeneratorDriver Driver);

    public static Result Run(params string[] sources) => Run(Compilation(sources));

    public static Result Run(Compilation compilation)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var run = driver.GetRunResult();
        Assert.All(run.Results, r => Assert.Null(r.Exception));
        return new Result(output, diagnostics, run, driver);
    }

    /// <summary>Runs the generator, asserts that it and the compiler report nothing (not even a warning), and loads the assembly.</summary>
    public static Assembly CompileClean(params string[] sources)
    {
        var result = Run(sources);
        Assert.Empty(result.GeneratorDiagnostics);
        var problems = result.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, "Generated code does not compile cleanly:\n" + string.Join("\n", problems)
            + "\n\n" + string.Join("\n\n", result.Run.GeneratedTrees.Select(t => t.ToString())));
        using var stream = new MemoryStream();
        var emit = result.Output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext("generated-" + Guid.NewGuid(), isCollectible: true).LoadFromStream(stream);
    }

    /// <summary>The source text under a (file-path based) location of a generator diagnostic.</summary>
    public static string TextAt(Compilation compilation, Location location)
    {
        var span = location.GetLineSpan();
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == span.Path);
        return tree.GetText().ToString(location.SourceSpan);
    }
}
