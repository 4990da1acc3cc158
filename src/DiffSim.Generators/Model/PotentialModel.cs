using DiffSim.Generators.Symbolic;

namespace DiffSim.Generators.Model;

/// <summary>
/// Everything the emitter needs about one [PairPotential] struct, as plain equatable data: no symbols, syntax or
/// compilation, so an edit elsewhere leaves it equal and the emit step is skipped.
/// </summary>
/// <param name="Namespace">Containing namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the containing types, outermost first (e.g. "partial class Outer").</param>
/// <param name="TypeName">Name of the struct.</param>
/// <param name="PotentialName">Name in configs (the attribute's Name, or the type name in lower case).</param>
/// <param name="Parameters">Names of the [Parameter] fields, in declaration order.</param>
/// <param name="Energy">u(r) over the symbols <see cref="Ex.Distance"/> and the parameter field names.</param>
/// <param name="PositiveParameters">Names of the parameters marked [Parameter(Positive = true)].</param>
internal sealed record PotentialModel(
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeName,
    string PotentialName,
    EquatableArray<string> Parameters,
    Expr Energy,
    EquatableArray<string> PositiveParameters);

/// <summary>The outcome of parsing one struct: a model when it is valid, and the diagnostics found either way.</summary>
internal sealed record ParseResult(PotentialModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
