using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DiffSim.Generators.Model;
using DiffSim.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffSim.Generators.Parsing;

/// <summary>Turns one [PairPotential] struct into a <see cref="PotentialModel"/> or diagnostics. Never throws on user code.</summary>
internal static class PotentialParser
{
    public const string PairPotentialAttributeName = "DiffSim.PairPotentialAttribute";
    public const string ParameterAttributeName = "DiffSim.ParameterAttribute";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var model = Parse(type, syntax, context.SemanticModel.Compilation, diagnostics, cancellationToken);
        return new ParseResult(model, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    private static PotentialModel? Parse(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var ok = true;
        if (type.IsRecord)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RecordStruct, syntax.Identifier.GetLocation(), type.Name));
            return null;
        }
        if (!IsPartial(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, syntax.Identifier.GetLocation(), type.Name));
            ok = false;
        }
        if (FirstGeneric(type) is { } generic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericPotential, syntax.Identifier.GetLocation(), type.Name,
                SymbolEqualityComparer.Default.Equals(generic, type) ? "it has type parameters" : $"'{generic.Name}' contains it and has type parameters"));
            ok = false;
        }

        var parameters = ParameterFields(type);
        foreach (var field in parameters)
        {
            if (field.Name is "r" or "s" or "r2")
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedParameterName, field.Locations.FirstOrDefault(), field.Name));
                ok = false;
            }
            if (field.Type.SpecialType != SpecialType.System_Double || field.IsStatic || field.IsReadOnly || field.IsConst)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterField, field.Locations.FirstOrDefault(), field.Name));
                ok = false;
            }
        }

        var energy = FindEnergy(type, syntax, diagnostics);
        if (energy is null || !ok) return null;

        var translator = new EnergyTranslator(compilation, diagnostics, cancellationToken);
        var fields = new Dictionary<IFieldSymbol, Expr>(SymbolEqualityComparer.Default);
        foreach (var field in parameters) fields[field] = Ex.Sym(field.Name);
        var u = translator.TranslateEnergy(type, energy.Value.Symbol, energy.Value.Syntax, Ex.Sym(Ex.Distance), fields);
        if (u is null) return null;

        return new PotentialModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            new EquatableArray<string>(ContainingTypeDeclarations(type)),
            type.Name,
            PotentialName(type),
            new EquatableArray<string>(parameters.Select(f => f.Name)),
            u,
            new EquatableArray<string>(parameters.Where(IsPositive).Select(f => f.Name)));
    }

    /// <summary>The [Parameter] fields of a potential, in declaration order.</summary>
    public static List<IFieldSymbol> ParameterFields(INamedTypeSymbol type)
        => type.GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ParameterAttributeName))
            .ToList();

    /// <summary>Whether a [Parameter] field is marked Positive = true.</summary>
    private static bool IsPositive(IFieldSymbol field)
        => field.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ParameterAttributeName
            && a.NamedArguments.Any(n => n.Key == "Positive" && n.Value.Value is true));

    /// <summary>The potential itself or the innermost type containing it that has type parameters, if any.</summary>
    private static INamedTypeSymbol? FirstGeneric(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
            if (t.Arity > 0) return t;
        return null;
    }

    public static bool IsPairPotential(INamedTypeSymbol type)
        => type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == PairPotentialAttributeName);

    private static bool IsPartial(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            var declarations = t.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().ToList();
            if (declarations.Count == 0 || declarations.Any(d => !d.Modifiers.Any(SyntaxKind.PartialKeyword))) return false;
        }
        return true;
    }

    private static (IMethodSymbol Symbol, MethodDeclarationSyntax Syntax)? FindEnergy(INamedTypeSymbol type, TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
    {
        var candidates = type.GetMembers("Energy").OfType<IMethodSymbol>().ToList();
        if (candidates.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EnergySignature, syntax.Identifier.GetLocation(), type.Name, "no method named Energy was found"));
            return null;
        }
        var method = candidates.FirstOrDefault(m => m.Parameters.Length == 1) ?? candidates[0];
        var declaration = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault(d => d.Body is not null || d.ExpressionBody is not null);
        var location = method.Locations.FirstOrDefault();
        string? problem = null;
        if (method.Parameters.Length != 1) problem = "it must take exactly one parameter, the distance r";
        else if (method.Parameters[0].Type.SpecialType != SpecialType.System_Double || method.Parameters[0].RefKind != RefKind.None) problem = "its parameter must be a double passed by value";
        else if (method.ReturnType.SpecialType != SpecialType.System_Double) problem = "it must return double";
        else if (method.IsStatic) problem = "it must not be static";
        else if (method.IsGenericMethod) problem = "it must not be generic";
        else if (method.DeclaredAccessibility != Accessibility.Public) problem = "it must be public";
        else if (declaration is null) problem = "it must have a body";
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EnergySignature, location, type.Name, problem));
            return null;
        }
        return (method, declaration!);
    }

    private static string PotentialName(INamedTypeSymbol type)
    {
        var attribute = type.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == PairPotentialAttributeName);
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Name" && argument.Value.Value is string name && name.Length > 0) return name;
        }
        return type.Name.ToLowerInvariant();
    }

    private static IEnumerable<string> ContainingTypeDeclarations(INamedTypeSymbol type)
    {
        var chain = new List<string>();
        for (var t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            var keyword = t.TypeKind switch
            {
                TypeKind.Struct => t.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => t.IsRecord ? "record" : "class",
            };
            var typeParameters = t.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">";
            chain.Add("partial " + keyword + " " + t.Name + typeParameters);
        }
        chain.Reverse();
        return chain;
    }
}
