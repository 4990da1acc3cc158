using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DiffSim.Generators.Symbolic;

internal enum ExprKind
{
    Const,
    Bool,
    Sym,
    Add,
    Mul,
    Pow,
    Call,
    Cond,
    Compare,
    And,
    Or,
    Not,
}

internal enum Fn
{
    Exp,
    Log,
    Tanh,
    Sin,
    Cos,
    Erfc,
    Abs,
}

internal enum CompareOp
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// An immutable node of the symbolic expression graph. Nodes are only built through <see cref="Ex"/>, whose
/// constructors keep every node in one canonical form (sums of terms with numeric coefficients, products of
/// powers with summed numeric exponents, constants folded), so structurally equal expressions have equal
/// <see cref="Key"/>s. Equality is by <see cref="Key"/>, which makes nodes usable in cached pipeline models
/// and as dictionary keys for common-subexpression elimination.
/// </summary>
internal sealed class Expr : IEquatable<Expr>
{
    private static readonly Expr[] NoArgs = Array.Empty<Expr>();

    internal Expr(ExprKind kind, double value, string? name, int op, Expr[]? args)
    {
        Kind = kind;
        Value = value;
        Name = name;
        Op = op;
        Args = args ?? NoArgs;
        Key = BuildKey();
        Symbols = BuildSymbols();
        Size = 1 + Args.Sum(a => a.Size);
    }

    public ExprKind Kind { get; }

    /// <summary>Numeric value of a <see cref="ExprKind.Const"/>; 1 or 0 for a <see cref="ExprKind.Bool"/>.</summary>
    public double Value { get; }

    /// <summary>Name of a <see cref="ExprKind.Sym"/>.</summary>
    public string? Name { get; }

    /// <summary>The <see cref="Fn"/> of a call or the <see cref="CompareOp"/> of a comparison.</summary>
    public int Op { get; }

    public Expr[] Args { get; }

    /// <summary>Canonical prefix form; equal keys mean equal expressions.</summary>
    public string Key { get; }

    /// <summary>Names of the symbols the expression depends on, sorted.</summary>
    public string[] Symbols { get; }

    public int Size { get; }

    public Fn Function => (Fn)Op;

    public CompareOp Comparison => (CompareOp)Op;

    public bool IsConst => Kind == ExprKind.Const;

    public bool IsPredicate => Kind is ExprKind.Bool or ExprKind.Compare or ExprKind.And or ExprKind.Or or ExprKind.Not;

    public bool IsInteger => Kind == ExprKind.Const && Math.Abs(Value) < 1e15 && Math.Floor(Value) == Value;

    public bool DependsOn(string symbol) => Array.BinarySearch(Symbols, symbol, StringComparer.Ordinal) >= 0;

    public bool Equals(Expr? other) => other is not null && (ReferenceEquals(this, other) || Key == other.Key);

    public override bool Equals(object? obj) => obj is Expr other && Equals(other);

    public override int GetHashCode() => Key.GetHashCode();

    public override string ToString() => Key;

    private string BuildKey()
    {
        switch (Kind)
        {
            case ExprKind.Const: return FormatNumber(Value);
            case ExprKind.Bool: return Value != 0 ? "true" : "false";
            case ExprKind.Sym: return "$" + Name;
        }
        var sb = new StringBuilder();
        sb.Append('(').Append(Kind switch
        {
            ExprKind.Add => "+",
            ExprKind.Mul => "*",
            ExprKind.Pow => "^",
            ExprKind.Call => Function.ToString().ToLowerInvariant(),
            ExprKind.Cond => "?",
            ExprKind.Compare => Comparison switch
            {
                CompareOp.Less => "<",
                CompareOp.LessOrEqual => "<=",
                CompareOp.Greater => ">",
                _ => ">=",
            },
            ExprKind.And => "&&",
            ExprKind.Or => "||",
            _ => "!",
        });
        foreach (var a in Args) sb.Append(' ').Append(a.Key);
        return sb.Append(')').ToString();
    }

    private string[] BuildSymbols()
    {
        if (Kind == ExprKind.Sym) return new[] { Name! };
        if (Args.Length == 0) return Array.Empty<string>();
        if (Args.Length == 1) return Args[0].Symbols;
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var a in Args) set.UnionWith(a.Symbols);
        return set.ToArray();
    }

    /// <summary>Round-trip formatting of a double, always readable back as a C# double literal.</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        if (double.IsNaN(value)) return "double.NaN";
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0) s += ".0";
        return s;
    }
}
