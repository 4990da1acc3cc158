using DiffSim.Generators.Emit;
using DiffSim.Generators.Model;
using DiffSim.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffSim.Generators;

/// <summary>
/// Emits the rest of <c>IPairPotential&lt;TSelf&gt;</c> for every <c>[PairPotential] partial struct</c>: derivatives,
/// parameter gradients, and the scalar, SIMD and GPU-ready kernels, all from the user's <c>double Energy(double r)</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PairPotentialGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                PotentialParser.PairPotentialAttributeName,
                static (node, _) => node is StructDeclarationSyntax || node is RecordDeclarationSyntax { ClassOrStructKeyword.ValueText: "struct" },
                static (ctx, ct) => PotentialParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        var diagnostics = results
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

        var models = results
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(TrackingNames.Models);
        context.RegisterSourceOutput(models, static (spc, model) => spc.AddSource(PotentialEmitter.HintName(model), PotentialEmitter.Emit(model)));
    }
}
