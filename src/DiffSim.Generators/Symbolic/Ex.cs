using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffSim.Generators.Symbolic;

/// <summary>
/// Canonicalising constructors of <see cref="Expr"/>. Every rewrite here is an identity for a distance r &gt; 0
/// and for any real parameter values where the original expression is defined; rewrites that would need a sign
/// of a parameter (such as (x²)^½ = x) are not done.
/// </summary>
internal static class Ex
{
    /// <summary>The pair distance r.</summary>
    public const string Distance = "r";

    /// <summary>The squared pair distance s = r², the input of the kernel-facing forms.</summary>
    public const string DistanceSquared = "s";

    public static readonly Expr Zero = Num(0);
    public static readonly Expr One = Num(1);
    public static readonly Expr MinusOne = Num(-1);
    public static readonly Expr True = new(ExprKind.Bool, 1, null, 0, null);
    public static readonly Expr False = new(ExprKind.Bool, 0, null, 0, null);

    public static Expr Num(double value) => new(ExprKind.Const, value == 0 ? 0 : value, null, 0, null);

    public static Expr Sym(string name) => new(ExprKind.Sym, 0, name, 0, null);

    public static Expr Bool(bool value) => value ? True : False;

    public static Expr Neg(Expr x) => Mul(MinusOne, x);

    public static Expr Sub(Expr a, Expr b) => Add(a, Neg(b));

    public static Expr Div(Expr a, Expr b) => Mul(a, Pow(b, MinusOne));

    public static Expr Add(params Expr[] terms) => Add((IEnumerable<Expr>)terms);

    public static Expr Add(IEnumerable<Expr> terms)
    {
        var constant = 0.0;
        var order = new List<Expr>();
        var coefficients = new Dictionary<Expr, double>();
        void Accumulate(Expr term, double scale)
        {
            switch (term.Kind)
            {
                case ExprKind.Const:
                    constant += scale * term.Value;
                    return;
                case ExprKind.Add:
                    foreach (var t in term.Args) Accumulate(t, scale);
                    return;
            }
            var (coefficient, body) = SplitCoefficient(term);
            if (coefficients.TryGetValue(body, out var c))
            {
                coefficients[body] = c + scale * coefficient;
            }
            else
            {
                coefficients[body] = scale * coefficient;
                order.Add(body);
            }
        }
        foreach (var t in terms) Accumulate(t, 1);

        var result = new List<Expr>();
        foreach (var body in order)
        {
            var c = coefficients[body];
            if (c == 0) continue;
            result.Add(c == 1 ? body : MulRaw(c, body));
        }
        result.Sort(CompareKeys);
        if (constant != 0 || result.Count == 0) result.Add(Num(constant));
        return result.Count == 1 ? result[0] : new Expr(ExprKind.Add, 0, null, 0, result.ToArray());
    }

    /// <summary>Splits a term into numeric coefficient × rest.</summary>
    public static (double Coefficient, Expr Body) SplitCoefficient(Expr term)
    {
        if (term.Kind == ExprKind.Mul && term.Args[0].IsConst)
        {
            var rest = term.Args.Skip(1).ToArray();
            return (term.Args[0].Value, rest.Length == 1 ? rest[0] : new Expr(ExprKind.Mul, 0, null, 0, rest));
        }
        return (1, term);
    }

    /// <summary>coefficient × body where body is already canonical and not a constant.</summary>
    private static Expr MulRaw(double coefficient, Expr body)
    {
        if (body.Kind == ExprKind.Mul)
        {
            var args = new Expr[body.Args.Length + 1];
            args[0] = Num(coefficient);
            Array.Copy(body.Args, 0, args, 1, body.Args.Length);
            return new Expr(ExprKind.Mul, 0, null, 0, args);
        }
        return new Expr(ExprKind.Mul, 0, null, 0, new[] { Num(coefficient), body });
    }

    public static Expr Mul(params Expr[] factors) => Mul((IEnumerable<Expr>)factors);

    public static Expr Mul(IEnumerable<Expr> factors)
    {
        var coefficient = 1.0;
        var order = new List<Expr>();
        var exponents = new Dictionary<Expr, double>();
        Expr? sum = null;
        var sumCount = 0;
        void Accumulate(Expr f)
        {
            switch (f.Kind)
            {
                case ExprKind.Const:
                    coefficient *= f.Value;
                    return;
                case ExprKind.Mul:
                    foreach (var g in f.Args) Accumulate(g);
                    return;
            }
            Expr b;
            double e;
            if (f.Kind == ExprKind.Pow && f.Args[1].IsConst)
            {
                b = f.Args[0];
                e = f.Args[1].Value;
            }
            else
            {
                b = f;
                e = 1;
            }
            if (exponents.TryGetValue(b, out var existing))
            {
                exponents[b] = existing + e;
            }
            else
            {
                exponents[b] = e;
                order.Add(b);
            }
        }
        foreach (var f in factors) Accumulate(f);
        if (coefficient == 0) return Zero;

        var result = new List<Expr>();
        foreach (var b in order)
        {
            var e = exponents[b];
            if (e == 0) continue;
            var p = e == 1 ? b : Pow(b, Num(e));
            if (p.IsConst)
            {
                coefficient *= p.Value;
                continue;
            }
            if (p.Kind == ExprKind.Mul)
            {
                // A power that split (x^(c+e) = x^c·x^e) re-enters as separate factors.
                foreach (var g in p.Args)
                {
                    if (g.IsConst) coefficient *= g.Value;
                    else result.Add(g);
                }
                continue;
            }
            result.Add(p);
            if (p.Kind == ExprKind.Add)
            {
                sum = p;
                sumCount++;
            }
        }
        if (coefficient == 0) return Zero;
        if (result.Count == 0) return Num(coefficient);

        // A plain multiple of one sum is distributed, so that sums stay linear combinations and like terms meet.
        if (result.Count == 1 && sumCount == 1 && coefficient != 1)
        {
            var c = coefficient;
            return Add(sum!.Args.Select(t => t.IsConst ? Num(c * t.Value) : ScaleTerm(c, t)));
        }
        if (result.Count == 1 && coefficient == 1) return result[0];
        result.Sort(CompareKeys);
        if (coefficient != 1) result.Insert(0, Num(coefficient));
        return new Expr(ExprKind.Mul, 0, null, 0, result.ToArray());
    }

    private static Expr ScaleTerm(double c, Expr term)
    {
        var (k, body) = SplitCoefficient(term);
        return MulRaw(c * k, body);
    }

    public static Expr Pow(Expr b, Expr e)
    {
        if (e.IsConst)
        {
            var c = e.Value;
            if (c == 0) return One;
            if (c == 1) return b;
            if (b.IsConst)
            {
                var v = Math.Pow(b.Value, c);
                if (!double.IsNaN(v) && !double.IsInfinity(v)) return Num(v);
            }
            var integer = e.IsInteger;
            switch (b.Kind)
            {
                case ExprKind.Pow when b.Args[1].IsConst && (integer || IsPositive(b.Args[0])):
                    return Pow(b.Args[0], Num(b.Args[1].Value * c));
                case ExprKind.Mul when integer:
                    return Mul(b.Args.Select(f => Pow(f, e)));
                case ExprKind.Mul:
                {
                    var positive = b.Args.Where(IsPositive).ToArray();
                    if (positive.Length == 0) break;
                    var rest = b.Args.Where(f => !IsPositive(f)).ToArray();
                    var parts = positive.Select(f => Pow(f, e)).ToList();
                    if (rest.Length > 0) parts.Add(Pow(Mul(rest), e));
                    return Mul(parts);
                }
            }
            return new Expr(ExprKind.Pow, 0, null, 0, new[] { b, e });
        }

        if (b.IsConst && b.Value == 1) return One;
        if (b.Kind == ExprKind.Pow && b.Args[1].IsConst && IsPositive(b.Args[0]))
        {
            return Pow(b.Args[0], Mul(b.Args[1], e));
        }
        if (e.Kind == ExprKind.Add)
        {
            // x^(c + e) = x^c · x^e for integer c, so x^(n−1) shares x^n with the energy.
            var c = e.Args.FirstOrDefault(t => t.IsInteger);
            if (c is not null)
            {
                var rest = Add(e.Args.Where(t => !ReferenceEquals(t, c)));
                return Mul(Pow(b, c), Pow(b, rest));
            }
        }
        if (b.Kind == ExprKind.Mul)
        {
            var positive = b.Args.Where(IsPositive).ToArray();
            if (positive.Length > 0)
            {
                var rest = b.Args.Where(f => !IsPositive(f)).ToArray();
                var parts = positive.Select(f => Pow(f, e)).ToList();
                if (rest.Length > 0) parts.Add(Pow(Mul(rest), e));
                return Mul(parts);
            }
        }
        return new Expr(ExprKind.Pow, 0, null, 0, new[] { b, e });
    }

    /// <summary>True where the expression is &gt; 0 wherever it is defined: the distance, exponentials, positive constants.</summary>
    public static bool IsPositive(Expr x) => x.Kind switch
    {
        ExprKind.Const => x.Value > 0,
        ExprKind.Sym => x.Name is Distance or DistanceSquared,
        ExprKind.Call => x.Function == Fn.Exp,
        ExprKind.Pow => IsPositive(x.Args[0]),
        ExprKind.Mul => x.Args.All(IsPositive),
        _ => false,
    };

    public static Expr Call(Fn fn, Expr x)
    {
        if (x.IsConst)
        {
            double? v = fn switch
            {
                Fn.Exp => Math.Exp(x.Value),
                Fn.Log => Math.Log(x.Value),
                Fn.Tanh => Math.Tanh(x.Value),
                Fn.Sin => Math.Sin(x.Value),
                Fn.Cos => Math.Cos(x.Value),
                Fn.Abs => Math.Abs(x.Value),
                _ => null,
            };
            if (v is { } value && !double.IsNaN(value) && !double.IsInfinity(value)) return Num(value);
        }
        switch (fn)
        {
            case Fn.Log when x.Kind == ExprKind.Call && x.Function == Fn.Exp:
                return x.Args[0];
            case Fn.Log when x.Kind == ExprKind.Pow && IsPositive(x.Args[0]):
                return Mul(x.Args[1], Call(Fn.Log, x.Args[0]));
            case Fn.Exp when x.Kind == ExprKind.Call && x.Function == Fn.Log && IsPositive(x.Args[0]):
                return x.Args[0];
            case Fn.Abs when IsPositive(x):
                return x;
        }
        return new Expr(ExprKind.Call, 0, null, (int)fn, new[] { x });
    }

    public static Expr Cond(Expr predicate, Expr whenTrue, Expr whenFalse)
    {
        if (predicate.Kind == ExprKind.Bool) return predicate.Value != 0 ? whenTrue : whenFalse;
        if (whenTrue.Equals(whenFalse)) return whenTrue;
        return new Expr(ExprKind.Cond, 0, null, 0, new[] { predicate, whenTrue, whenFalse });
    }

    public static Expr Compare(CompareOp op, Expr a, Expr b)
    {
        if (a.IsConst && b.IsConst)
        {
            return Bool(op switch
            {
                CompareOp.Less => a.Value < b.Value,
                CompareOp.LessOrEqual => a.Value <= b.Value,
                CompareOp.Greater => a.Value > b.Value,
                _ => a.Value >= b.Value,
            });
        }
        return new Expr(ExprKind.Compare, 0, null, (int)op, new[] { a, b });
    }

    public static Expr And(Expr a, Expr b)
    {
        if (a.Kind == ExprKind.Bool) return a.Value != 0 ? b : False;
        if (b.Kind == ExprKind.Bool) return b.Value != 0 ? a : False;
        return new Expr(ExprKind.And, 0, null, 0, new[] { a, b });
    }

    public static Expr Or(Expr a, Expr b)
    {
        if (a.Kind == ExprKind.Bool) return a.Value != 0 ? True : b;
        if (b.Kind == ExprKind.Bool) return b.Value != 0 ? True : a;
        return new Expr(ExprKind.Or, 0, null, 0, new[] { a, b });
    }

    public static Expr Not(Expr a)
    {
        if (a.Kind == ExprKind.Bool) return Bool(a.Value == 0);
        if (a.Kind == ExprKind.Not) return a.Args[0];
        return new Expr(ExprKind.Not, 0, null, 0, new[] { a });
    }

    /// <summary>Rebuilds a node of the same kind and operator from new arguments through the canonicalising constructors.</summary>
    public static Expr Rebuild(Expr x, Expr[] args) => x.Kind switch
    {
        ExprKind.Add => Add(args),
        ExprKind.Mul => Mul(args),
        ExprKind.Pow => Pow(args[0], args[1]),
        ExprKind.Call => Call(x.Function, args[0]),
        ExprKind.Cond => Cond(args[0], args[1], args[2]),
        ExprKind.Compare => Compare(x.Comparison, args[0], args[1]),
        ExprKind.And => And(args[0], args[1]),
        ExprKind.Or => Or(args[0], args[1]),
        ExprKind.Not => Not(args[0]),
        _ => x,
    };

    private static int CompareKeys(Expr a, Expr b)
    {
        // Simpler factors first, then by key: deterministic and readable (coefficient-like parameters lead).
        var bySize = a.Size.CompareTo(b.Size);
        return bySize != 0 ? bySize : string.CompareOrdinal(a.Key, b.Key);
    }
}
