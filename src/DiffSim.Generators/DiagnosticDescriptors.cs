using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DiffSim.Generators;

/// <summary>Every diagnostic the pair-potential generator reports. Ids are stable: add new ones at the end.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "DiffSim.PairPotential";

    public static readonly DiagnosticDescriptor NotPartial = new(
        "DSG001", "Pair potential must be partial",
        "'{0}' must be declared partial (and so must every type that contains it) so the generator can add the rest of IPairPotential",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor EnergySignature = new(
        "DSG002", "Pair potential needs 'public double Energy(double r)'",
        "'{0}' must declare 'public double Energy(double r)' as a non-static method with a body: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ParameterField = new(
        "DSG003", "Parameter must be a double field",
        "[Parameter] '{0}' must be a non-static, non-readonly instance field of type double",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedSyntax = new(
        "DSG004", "Unsupported syntax in Energy",
        "'{0}' is not supported in Energy: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownFunction = new(
        "DSG005", "Unsupported function in Energy",
        "'{0}' cannot be differentiated by the generator; use Math.Exp, Log, Log10, Sqrt, Pow, Tanh, Sinh, Cosh, Sin, Cos, SimdMath.Erfc or another pair potential's Energy",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownSymbol = new(
        "DSG006", "Unknown value in Energy",
        "'{0}' is not the distance, a [Parameter] field, a constant or a local of Energy",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PotentialCall = new(
        "DSG007", "Cannot inline another pair potential",
        "The energy of '{0}' cannot be inlined: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericPotential = new(
        "DSG008", "Pair potential must not be generic",
        "'{0}' must not be generic, nor be nested in a generic type ({1}): the generator emits one concrete implementation per potential",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ReservedParameterName = new(
        "DSG009", "Parameter name is reserved",
        "[Parameter] '{0}' has a name the generated code gives the distance (r), its square (s) or the kernels' argument (r2); rename it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RecordStruct = new(
        "DSG010", "Pair potential must be a plain struct",
        "'{0}' is a record struct; declare it 'partial struct' (a record's generated members would clash with the potential's)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
    {
        NotPartial, EnergySignature, ParameterField, UnsupportedSyntax, UnknownFunction, UnknownSymbol, PotentialCall, GenericPotential,
        ReservedParameterName, RecordStruct,
    };

    public static DiagnosticDescriptor ById(string id) => All.First(d => d.Id == id);
}
