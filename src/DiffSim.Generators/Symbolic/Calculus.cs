using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffSim.Generators.Symbolic;

/// <summary>Symbolic differentiation and substitution over the canonical expression graph.</summary>
internal static class Calculus
{
    private static readonly Expr TwoOverSqrtPi = Ex.Num(2 / Math.Sqrt(Math.PI));

    /// <summary>∂x/∂symbol. Piecewise expressions differentiate branch by branch (the boundary is a set of measure zero).</summary>
    public static Expr Derivative(Expr x, string symbol) => new Differentiator(symbol).D(x);

    private sealed class Differentiator(string symbol)
    {
        private readonly Dictionary<Expr, Expr> _memo = new();

        public Expr D(Expr x)
        {
            if (!x.DependsOn(symbol)) return Ex.Zero;
            if (_memo.TryGetValue(x, out var done)) return done;
            var result = Compute(x);
            _memo[x] = result;
            return result;
        }

        private Expr Compute(Expr x)
        {
            switch (x.Kind)
            {
                case ExprKind.Sym:
                    return Ex.One;
                case ExprKind.Add:
                    return Ex.Add(x.Args.Select(D));
                case ExprKind.Mul:
                {
                    var terms = new List<Expr>();
                    for (var i = 0; i < x.Args.Length; i++)
                    {
                        var di = D(x.Args[i]);
                        if (di.IsConst && di.Value == 0) continue;
                        var factors = x.Args.ToArray();
                        factors[i] = di;
                        terms.Add(Ex.Mul(factors));
                    }
                    return Ex.Add(terms);
                }
                case ExprKind.Pow:
                {
                    var (b, e) = (x.Args[0], x.Args[1]);
                    if (!e.DependsOn(symbol))
                    {
                        // d(b^e) = e·b^(e−1)·db
                        return Ex.Mul(e, Ex.Pow(b, Ex.Add(e, Ex.MinusOne)), D(b));
                    }
                    // d(b^e) = b^e·(de·ln b + e·db/b)
                    return Ex.Mul(x, Ex.Add(Ex.Mul(D(e), Ex.Call(Fn.Log, b)), Ex.Mul(e, D(b), Ex.Pow(b, Ex.MinusOne))));
                }
                case ExprKind.Call:
                {
                    var a = x.Args[0];
                    var da = D(a);
                    return x.Function switch
                    {
                        Fn.Exp => Ex.Mul(x, da),
                        Fn.Log => Ex.Mul(da, Ex.Pow(a, Ex.MinusOne)),
                        Fn.Tanh => Ex.Mul(Ex.Sub(Ex.One, Ex.Pow(x, Ex.Num(2))), da),
                        Fn.Sin => Ex.Mul(Ex.Call(Fn.Cos, a), da),
                        Fn.Cos => Ex.Neg(Ex.Mul(Ex.Call(Fn.Sin, a), da)),
                        // erfc'(a) = −2/√π·exp(−a²)
                        Fn.Erfc => Ex.Mul(Ex.Neg(TwoOverSqrtPi), Ex.Call(Fn.Exp, Ex.Neg(Ex.Pow(a, Ex.Num(2)))), da),
                        _ => throw new InvalidOperationException("Function " + x.Function + " is not differentiable here."),
                    };
                }
                case ExprKind.Cond:
                    return Ex.Cond(x.Args[0], D(x.Args[1]), D(x.Args[2]));
                default:
                    throw new InvalidOperationException("Cannot differentiate " + x.Kind + ".");
            }
        }
    }

    /// <summary>Replaces symbols by expressions, re-canonicalising on the way up.</summary>
    public static Expr Substitute(Expr x, IReadOnlyDictionary<string, Expr> map)
        => Rewrite(x, node => node.Kind == ExprKind.Sym && map.TryGetValue(node.Name!, out var v) ? v : null);

    /// <summary>Bottom-up rewrite: <paramref name="replace"/> returns a replacement for a node or null to recurse into it.</summary>
    public static Expr Rewrite(Expr x, Func<Expr, Expr?> replace)
    {
        var memo = new Dictionary<Expr, Expr>();
        Expr Go(Expr node)
        {
            if (memo.TryGetValue(node, out var done)) return done;
            var result = replace(node);
            if (result is null)
            {
                if (node.Args.Length == 0)
                {
                    result = node;
                }
                else
                {
                    var args = node.Args.Select(Go).ToArray();
                    result = args.SequenceEqual(node.Args, ReferenceEqualityComparer.Instance) ? node : Ex.Rebuild(node, args);
                }
            }
            memo[node] = result;
            return result;
        }
        return Go(x);
    }

    /// <summary>
    /// u(r) rewritten as U(s) with s = r², so that the kernels read r² directly: r^k becomes s^(k/2) and a comparison
    /// r ⋚ c with r-free c becomes s ⋚ c·|c| (equivalent for r ≥ 0). When only even powers of r occur, the result has
    /// integer powers of s and needs no square root.
    /// </summary>
    public static Expr ToSquaredDistance(Expr u)
    {
        var r = Ex.Sym(Ex.Distance);
        var s = Ex.Sym(Ex.DistanceSquared);
        var half = Ex.Num(0.5);
        Expr SquareSigned(Expr c) => Ex.Mul(c, Ex.Call(Fn.Abs, c));
        Expr? Replace(Expr node)
        {
            if (!node.DependsOn(Ex.Distance)) return node;
            if (node.Kind == ExprKind.Sym) return Ex.Pow(s, half);
            if (node.Kind == ExprKind.Pow && node.Args[0].Equals(r) && !node.Args[1].DependsOn(Ex.Distance))
            {
                return Ex.Pow(s, Ex.Mul(half, node.Args[1]));
            }
            if (node.Kind == ExprKind.Compare)
            {
                var (a, b) = (node.Args[0], node.Args[1]);
                if (a.Equals(r) && !b.DependsOn(Ex.Distance)) return Ex.Compare(node.Comparison, s, SquareSigned(b));
                if (b.Equals(r) && !a.DependsOn(Ex.Distance)) return Ex.Compare(node.Comparison, SquareSigned(a), s);
            }
            return null;
        }
        return Rewrite(u, Replace);
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<Expr>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(Expr? x, Expr? y) => ReferenceEquals(x, y);

        public int GetHashCode(Expr obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
