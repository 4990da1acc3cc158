using System;
using System.Collections.Generic;
using System.Linq;
using DiffSim.Generators.Symbolic;

namespace DiffSim.Generators.Emit;

/// <summary>The numeric form a block of generated code is written in.</summary>
internal enum Flavor
{
    /// <summary>double, System.Math.</summary>
    Double,

    /// <summary>Generic T : IFloatingPointIeee754&lt;T&gt; scalar.</summary>
    Generic,

    /// <summary>Vector256&lt;T&gt;.</summary>
    Vector256,

    /// <summary>Vector512&lt;T&gt;.</summary>
    Vector512,

    /// <summary>float and System.MathF only, no managed references: compilable by ILGPU.</summary>
    GpuFloat,
}

/// <summary>
/// Writes a set of expressions as straight-line C# statements. Two domains: "lane" values depend on the lane
/// symbol (the distance) and are computed in the flavor's type; "scalar" values depend on parameters and constants
/// only, are computed once per call in double (float on the GPU) and converted where a lane value needs them.
/// A subexpression used twice or more becomes a local (common-subexpression elimination); numeric powers of one
/// base share one multiplication chain (an addition chain over the exponents needed); the scalar coefficient of a
/// lane product is folded into the terms of a lane sum so a polynomial costs one multiply per term.
/// In the prepared form (<see cref="CodeGen(Flavor, string, Func{string, string}, string)"/>) the scalar domain goes
/// into <see cref="PreparedStatements"/>, which write each lane constant once into a span of T, and the lane code
/// reads them from its constants argument: a kernel prepares them once per call instead of once per vector.
/// </summary>
internal sealed class CodeGen
{
    private const string Math = "global::System.Math";
    private const string MathF = "global::System.MathF";
    private const string SimdMath = "global::DiffSim.Numerics.SimdMath";

    private readonly Flavor _flavor;
    private readonly string _lane;
    private readonly Func<string, string> _symbolCode;
    private readonly List<string> _statements = new();
    private readonly List<string> _preparedStatements = new();
    private readonly string? _constants;
    private int _preparedCount;
    private readonly Dictionary<Expr, int> _uses = new();
    private readonly Dictionary<Expr, string> _temps = new();
    private readonly Dictionary<Expr, string> _laneConstants = new();
    private readonly Dictionary<Expr, PowerChain> _chains = new();
    private readonly Dictionary<Expr, Expr> _distributed = new();
    private int _next;

    public CodeGen(Flavor flavor, string laneSymbol, Func<string, string> symbolCode)
    {
        _flavor = flavor;
        _lane = laneSymbol;
        _symbolCode = symbolCode;
    }

    /// <summary>The prepared form: lane constants are read from <paramref name="constants"/> (a ref readonly to the first), written by <see cref="PreparedStatements"/>.</summary>
    public CodeGen(Flavor flavor, string laneSymbol, Func<string, string> symbolCode, string constants)
        : this(flavor, laneSymbol, symbolCode)
    {
        _constants = constants;
    }

    public IReadOnlyList<string> Statements => _statements;

    /// <summary>The prepared form's scalar work: statements that fill the span <c>constants</c> of T with the lane constants, in order.</summary>
    public IReadOnlyList<string> PreparedStatements => _preparedStatements;

    /// <summary>How many lane constants the prepared form reads.</summary>
    public int PreparedCount => _preparedCount;

    private bool IsVector => _flavor is Flavor.Vector256 or Flavor.Vector512;

    private string VectorType => _flavor == Flavor.Vector256 ? "global::System.Runtime.Intrinsics.Vector256" : "global::System.Runtime.Intrinsics.Vector512";

    private string ScalarMath => _flavor == Flavor.GpuFloat ? MathF : Math;

    /// <summary>Registers the roots to be emitted, so that shared subexpressions are known before any code is written.</summary>
    public Expr[] Prepare(params Expr[] roots)
    {
        var prepared = roots.Select(Distribute).ToArray();
        var visited = new HashSet<Expr>();
        void Visit(Expr node)
        {
            if (!visited.Add(node)) return;
            foreach (var child in Children(node))
            {
                _uses[child] = _uses.TryGetValue(child, out var n) ? n + 1 : 1;
                Visit(child);
            }
        }
        foreach (var root in prepared)
        {
            _uses[root] = _uses.TryGetValue(root, out var n) ? n + 1 : 1;
            Visit(root);
        }
        return prepared;
    }

    /// <summary>Code for a prepared root, in the lane type.</summary>
    public string Lane(Expr root) => IsLane(root) ? Value(root) : LaneOf(root);

    private bool IsLane(Expr x) => x.DependsOn(_lane);

    /// <summary>c·(a·X + b·Y) → (c·a)·X + (c·b)·Y, and c·(p ? X : Y) → p ? c·X : c·Y, when c is a scalar (parameter-only) factor and X, Y are lane values.</summary>
    private Expr Distribute(Expr root) => Calculus.Rewrite(root, node =>
    {
        if (_distributed.TryGetValue(node, out var done)) return done;
        if (!IsLane(node) || node.Kind != ExprKind.Mul) return null;
        var args = node.Args.Select(Distribute).ToArray();
        var scalar = args.Where(a => !IsLane(a)).ToArray();
        var lane = args.Where(IsLane).ToArray();
        Expr result;
        if (scalar.Length > 0 && lane.Length == 1 && lane[0].Kind == ExprKind.Add)
        {
            var c = Ex.Mul(scalar);
            result = Ex.Add(lane[0].Args.Select(t => Ex.Mul(c, t)));
        }
        else if (scalar.Length > 0 && lane.Length == 1 && lane[0].Kind == ExprKind.Cond)
        {
            // c·(p ? a : b) → p ? c·a : c·b, and so on into the branches.
            var c = Ex.Mul(scalar);
            var cond = lane[0];
            result = Ex.Cond(cond.Args[0], Distribute(Ex.Mul(c, cond.Args[1])), Distribute(Ex.Mul(c, cond.Args[2])));
        }
        else
        {
            result = Ex.Rebuild(node, args);
        }
        _distributed[node] = result;
        return result;
    });

    private static bool IsAtom(Expr x) => x.Kind is ExprKind.Const or ExprKind.Sym or ExprKind.Bool;

    private bool IsPlannedPower(Expr x)
        => x.Kind == ExprKind.Pow && x.Args[1].IsConst && IsHalfInteger(x.Args[1].Value) && System.Math.Abs(x.Args[1].Value) <= 128;

    private static bool IsHalfInteger(double c) => System.Math.Floor(2 * c) == 2 * c;

    /// <summary>Operands in emission order, as used by <see cref="Value"/>.</summary>
    private IEnumerable<Expr> Children(Expr x)
    {
        var lane = IsLane(x);
        switch (x.Kind)
        {
            case ExprKind.Add:
                if (lane)
                {
                    var scalar = x.Args.Where(t => !IsLane(t)).ToArray();
                    if (scalar.Length > 0) yield return Ex.Add(scalar);
                    foreach (var t in x.Args.Where(IsLane)) yield return Magnitude(t).Term;
                }
                else
                {
                    foreach (var t in x.Args) yield return Magnitude(t).Term;
                }
                yield break;
            case ExprKind.Mul:
                if (lane)
                {
                    var scalar = Ex.Mul(x.Args.Where(f => !IsLane(f)));
                    if (!(scalar.IsConst && System.Math.Abs(scalar.Value) == 1)) yield return scalar;
                    foreach (var f in x.Args.Where(IsLane)) yield return f;
                }
                else
                {
                    foreach (var f in x.Args.Where(f => !f.IsConst)) yield return f;
                }
                yield break;
            case ExprKind.Pow when IsPlannedPower(x):
                var b = x.Args[0];
                if (!_chains.TryGetValue(b, out var chain)) _chains[b] = chain = new PowerChain(this, b);
                chain.Register((int)(2 * x.Args[1].Value));
                yield return b;
                // The base feeds a chain of products: keep it in a local.
                yield return b;
                yield break;
            default:
                foreach (var a in x.Args) yield return a;
                yield break;
        }
    }

    /// <summary>A term as sign × magnitude, so sums are written with subtraction instead of multiplying by −1.</summary>
    private static (bool Negative, Expr Term) Magnitude(Expr term)
    {
        var (k, body) = Ex.SplitCoefficient(term);
        if (k >= 0) return (false, term);
        return (true, k == -1 ? body : Ex.Mul(Ex.Num(-k), body));
    }

    private bool NeedsTemp(Expr x) => !IsAtom(x) && (_uses.TryGetValue(x, out var n) && n > 1);

    /// <summary>Code for a node in its own domain (lane or scalar).</summary>
    private string Value(Expr x)
    {
        if (_temps.TryGetValue(x, out var name)) return name;
        if (IsPlannedPower(x)) return _chains[x.Args[0]].Get((int)(2 * x.Args[1].Value));
        var code = Compute(x);
        if (!NeedsTemp(x)) return code;
        return _temps[x] = Declare(IsLane(x) ? "v" : "k", code);
    }

    private string Declare(string prefix, string code)
    {
        var name = "_" + prefix + _next++;
        (_constants is not null && prefix == "k" ? _preparedStatements : _statements).Add("var " + name + " = " + code + ";");
        return name;
    }

    /// <summary>
    /// A scalar node as a prepared lane constant: its value in T (a predicate as 1 or 0) is written once by the
    /// prepared statements, and the lane code reads it back (a predicate as a mask or a bool).
    /// </summary>
    private string Prepared(Expr x)
    {
        var index = _preparedCount++;
        var value = x.IsPredicate ? "(" + Value(x) + " ? T.One : T.Zero)" : "T.CreateTruncating(" + Value(x) + ")";
        _preparedStatements.Add("constants[" + index + "] = " + value + ";");
        var read = index == 0 ? _constants! : "global::System.Runtime.CompilerServices.Unsafe.Add(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in " + _constants + "), " + index + ")";
        // Read where used, not into a local: the JIT then takes it as a memory operand instead of loading it early
        // into a register that the loop has to spill.
        if (!x.IsPredicate) return read;
        return Declare("c", IsVector ? "(~" + VectorType + ".Equals(" + read + ", " + VectorType + "<T>.Zero))" : "(" + read + " != T.Zero)");
    }

    /// <summary>A scalar (parameter-only) node converted to the lane type, hoisted into a local.</summary>
    private string LaneOf(Expr x)
    {
        if (IsLane(x)) return Value(x);
        if (_flavor is Flavor.Double or Flavor.GpuFloat) return Value(x);
        if (_laneConstants.TryGetValue(x, out var name)) return name;
        if (_constants is not null) return _laneConstants[x] = Prepared(x);
        string code;
        if (x.IsPredicate)
        {
            var p = Value(x);
            code = IsVector ? "(" + p + " ? " + VectorType + "<T>.AllBitsSet : " + VectorType + "<T>.Zero)" : p;
        }
        else
        {
            var t = "T.CreateTruncating(" + Value(x) + ")";
            code = IsVector ? VectorType + ".Create(" + t + ")" : t;
        }
        return _laneConstants[x] = Declare("c", code);
    }

    private string Compute(Expr x)
    {
        var lane = IsLane(x);
        string Arg(Expr a) => lane ? LaneOf(a) : Value(a);
        switch (x.Kind)
        {
            case ExprKind.Const:
                return Literal(x.Value);
            case ExprKind.Bool:
                return x.Value != 0 ? "true" : "false";
            case ExprKind.Sym:
                return _symbolCode(x.Name!);
            case ExprKind.Add:
            {
                var parts = new List<(bool Negative, string Code)>();
                if (lane)
                {
                    var scalar = x.Args.Where(t => !IsLane(t)).ToArray();
                    if (scalar.Length > 0) parts.Add((false, LaneOf(Ex.Add(scalar))));
                    foreach (var t in x.Args.Where(IsLane))
                    {
                        var (negative, term) = Magnitude(t);
                        parts.Add((negative, Value(term)));
                    }
                }
                else
                {
                    foreach (var t in x.Args)
                    {
                        var (negative, term) = Magnitude(t);
                        parts.Add((negative, Value(term)));
                    }
                }
                // Positive terms first so the sum never starts with a negation.
                parts = parts.OrderBy(p => p.Negative ? 1 : 0).ToList();
                var code = (parts[0].Negative ? "-" : "") + parts[0].Code;
                foreach (var (negative, c) in parts.Skip(1)) code += (negative ? " - " : " + ") + c;
                return "(" + code + ")";
            }
            case ExprKind.Mul:
            {
                var negate = false;
                var factors = new List<string>();
                if (lane)
                {
                    var scalar = Ex.Mul(x.Args.Where(f => !IsLane(f)));
                    if (scalar.IsConst && System.Math.Abs(scalar.Value) == 1) negate = scalar.Value < 0;
                    else factors.Add(LaneOf(scalar));
                    factors.AddRange(x.Args.Where(IsLane).Select(Value));
                }
                else
                {
                    var k = x.Args[0].IsConst ? x.Args[0].Value : 1;
                    if (System.Math.Abs(k) != 1) factors.Add(Literal(k));
                    else negate = k < 0;
                    factors.AddRange(x.Args.Where(f => !f.IsConst).Select(Value));
                }
                var code = string.Join(" * ", factors);
                return negate ? "(-" + (factors.Count > 1 ? "(" + code + ")" : code) + ")" : "(" + code + ")";
            }
            case ExprKind.Pow:
                return Function(lane, "Pow", Arg(x.Args[0]), Arg(x.Args[1]));
            case ExprKind.Call:
                return Function(lane, x.Function.ToString(), Arg(x.Args[0]));
            case ExprKind.Cond:
            {
                var p = x.Args[0];
                if (IsVector && lane && IsLane(p))
                {
                    return VectorType + ".ConditionalSelect(" + Value(p) + ", " + Arg(x.Args[1]) + ", " + Arg(x.Args[2]) + ")";
                }
                if (lane && _constants is not null)
                {
                    // A prepared predicate reads back as a mask (vectors) or a bool.
                    var mask = LaneOf(p);
                    return IsVector
                        ? VectorType + ".ConditionalSelect(" + mask + ", " + Arg(x.Args[1]) + ", " + Arg(x.Args[2]) + ")"
                        : "(" + mask + " ? " + Arg(x.Args[1]) + " : " + Arg(x.Args[2]) + ")";
                }
                return "(" + Value(p) + " ? " + Arg(x.Args[1]) + " : " + Arg(x.Args[2]) + ")";
            }
            case ExprKind.Compare:
            {
                var (a, b) = (Arg(x.Args[0]), Arg(x.Args[1]));
                if (IsVector && lane)
                {
                    var name = x.Comparison switch
                    {
                        CompareOp.Less => "LessThan",
                        CompareOp.LessOrEqual => "LessThanOrEqual",
                        CompareOp.Greater => "GreaterThan",
                        _ => "GreaterThanOrEqual",
                    };
                    return VectorType + "." + name + "(" + a + ", " + b + ")";
                }
                var op = x.Comparison switch
                {
                    CompareOp.Less => "<",
                    CompareOp.LessOrEqual => "<=",
                    CompareOp.Greater => ">",
                    _ => ">=",
                };
                return "(" + a + " " + op + " " + b + ")";
            }
            case ExprKind.And:
                return "(" + Arg(x.Args[0]) + (IsVector && lane ? " & " : " && ") + Arg(x.Args[1]) + ")";
            case ExprKind.Or:
                return "(" + Arg(x.Args[0]) + (IsVector && lane ? " | " : " || ") + Arg(x.Args[1]) + ")";
            case ExprKind.Not:
                return (IsVector && lane ? "(~" : "(!") + Arg(x.Args[0]) + ")";
            default:
                throw new InvalidOperationException(x.Kind.ToString());
        }
    }

    private string Literal(double value)
    {
        if (_flavor == Flavor.GpuFloat)
        {
            var f = (float)value;
            if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
            if (float.IsNaN(f)) return "float.NaN";
            return Expr.FormatNumber(value) + "f";
        }
        return Expr.FormatNumber(value);
    }

    private string One(bool lane) => !lane ? (_flavor == Flavor.GpuFloat ? "1f" : "1.0") : _flavor switch
    {
        Flavor.Double => "1.0",
        Flavor.GpuFloat => "1f",
        Flavor.Generic => "T.One",
        _ => VectorType + "<T>.One",
    };

    private string Function(bool lane, string name, params string[] args)
    {
        var list = string.Join(", ", args);
        if (!lane || _flavor is Flavor.Double or Flavor.GpuFloat)
        {
            return name == "Erfc" ? SimdMath + ".Erfc(" + list + ")" : ScalarMath + "." + name + "(" + list + ")";
        }
        if (_flavor == Flavor.Generic)
        {
            return name == "Erfc" ? SimdMath + ".Erfc(" + list + ")" : "T." + name + "(" + list + ")";
        }
        return name is "Sqrt" or "Abs" ? VectorType + "." + name + "(" + list + ")" : SimdMath + "." + name + "(" + list + ")";
    }

    /// <summary>
    /// The numeric powers of one base that the expressions need, computed by multiplication from the base (or its
    /// square root when half-integer exponents occur) and one reciprocal, reusing powers already computed.
    /// </summary>
    /// <remarks>
    /// Of the products of two known powers, the one with the shallowest operands is taken: in a pair kernel every
    /// multiplication on the way from r² to the force is latency on the loop's critical path (r⁻¹⁴ as r⁻⁸·r⁻⁶
    /// rather than r⁻¹²·r⁻²: one multiplication less deep), and the count of multiplications is the same.
    /// </remarks>
    private sealed class PowerChain(CodeGen owner, Expr b)
    {
        private readonly HashSet<int> _halves = new();
        private readonly Dictionary<int, string> _known = new();

        /// <summary>Multiplications (or the reciprocal) between the base and each known power.</summary>
        private readonly Dictionary<int, int> _depth = new();
        private bool _started;
        private int _unit = 2;

        public void Register(int halves) => _halves.Add(halves);

        /// <summary>The power b^(halves/2).</summary>
        public string Get(int halves)
        {
            if (!_started) Start();
            return Power(halves / _unit);
        }

        private void Start()
        {
            _started = true;
            if (_halves.Any(h => h % 2 != 0)) _unit = 1;
            var lane = owner.IsLane(b);
            var baseCode = owner.Value(b);
            if (_unit == 1)
            {
                _known[2] = baseCode;
                _known[1] = owner.Declare(lane ? "v" : "k", owner.Function(lane, "Sqrt", baseCode));
                _depth[2] = 0;
                _depth[1] = 1;
            }
            else
            {
                _known[1] = baseCode;
                _depth[1] = 0;
            }
        }

        private string Power(int m)
        {
            if (_known.TryGetValue(m, out var done)) return done;
            var lane = owner.IsLane(b);
            var prefix = lane ? "v" : "k";
            string code;
            int depth;
            if (m == -1)
            {
                code = owner.One(lane) + " / " + Power(1);
                depth = _depth[1] + 1;
            }
            else
            {
                var sign = m > 0 ? 1 : -1;
                var best = _known.Keys.Where(a => a * sign > 0 && a * sign < m * sign && _known.ContainsKey(m - a))
                    .OrderBy(a => System.Math.Max(_depth[a], _depth[m - a])).ThenByDescending(a => a * sign).Cast<int?>().FirstOrDefault();
                if (best is { } a)
                {
                    code = Power(a) + " * " + Power(m - a);
                    depth = System.Math.Max(_depth[a], _depth[m - a]) + 1;
                }
                else if (m % 2 == 0)
                {
                    var h = Power(m / 2);
                    code = h + " * " + h;
                    depth = _depth[m / 2] + 1;
                }
                else
                {
                    code = Power(m - sign) + " * " + Power(sign);
                    depth = System.Math.Max(_depth[m - sign], _depth[sign]) + 1;
                }
            }
            _depth[m] = depth;
            return _known[m] = owner.Declare(prefix, code);
        }
    }
}
