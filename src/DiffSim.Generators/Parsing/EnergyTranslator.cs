using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DiffSim.Generators.Model;
using DiffSim.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffSim.Generators.Parsing;

/// <summary>
/// Translates the body of an Energy method into an <see cref="Expr"/>. Locals are substituted, constants folded,
/// and calls to another [PairPotential]'s Energy inlined with that potential's parameters bound to the arguments.
/// Anything else is reported with a diagnostic at the offending syntax, and translation returns null.
/// </summary>
internal sealed class EnergyTranslator(Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
{
    private readonly Stack<INamedTypeSymbol> _inlining = new();

    /// <summary>Values in scope while translating one method body: distance, parameter fields, locals, constructor parameters.</summary>
    private sealed class Scope(SemanticModel model, Dictionary<IFieldSymbol, Expr> fields)
    {
        public SemanticModel Model { get; } = model;

        public Dictionary<IFieldSymbol, Expr> Fields { get; } = fields;

        public Dictionary<ISymbol, Expr> Values { get; } = new(SymbolEqualityComparer.Default);

        public Dictionary<ISymbol, Instance> Instances { get; } = new(SymbolEqualityComparer.Default);
    }

    /// <summary>A value of another [PairPotential] type whose parameters are known expressions.</summary>
    private sealed class Instance(INamedTypeSymbol type, Dictionary<IFieldSymbol, Expr> fields)
    {
        public INamedTypeSymbol Type { get; } = type;

        public Dictionary<IFieldSymbol, Expr> Fields { get; } = fields;
    }

    public Expr? TranslateEnergy(INamedTypeSymbol owner, IMethodSymbol energy, MethodDeclarationSyntax declaration, Expr distance, Dictionary<IFieldSymbol, Expr> fields)
    {
        _inlining.Push(owner);
        try
        {
            var scope = new Scope(compilation.GetSemanticModel(declaration.SyntaxTree), fields);
            scope.Values[energy.Parameters[0]] = distance;
            if (declaration.ExpressionBody is { } arrow) return Translate(arrow.Expression, scope);
            return TranslateBlock(declaration.Body!, scope);
        }
        finally
        {
            _inlining.Pop();
        }
    }

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments)
        => diagnostics.Add(DiagnosticInfo.Create(descriptor, node, arguments));

    private Expr? TranslateBlock(BlockSyntax block, Scope scope)
    {
        var statements = block.Statements;
        var ok = true;
        for (var i = 0; i < statements.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var statement = statements[i];
            switch (statement)
            {
                case LocalDeclarationStatementSyntax local when i < statements.Count - 1:
                    foreach (var variable in local.Declaration.Variables)
                    {
                        if (variable.Initializer is null)
                        {
                            Report(DiagnosticDescriptors.UnsupportedSyntax, variable, variable.Identifier.Text, "a local must be initialised where it is declared");
                            ok = false;
                            continue;
                        }
                        if (scope.Model.GetDeclaredSymbol(variable) is not ILocalSymbol symbol)
                        {
                            ok = false;
                            continue;
                        }
                        if (symbol.Type is INamedTypeSymbol named && PotentialParser.IsPairPotential(named))
                        {
                            var instance = Bind(variable.Initializer.Value, named, scope);
                            if (instance is null) ok = false;
                            else scope.Instances[symbol] = instance;
                            continue;
                        }
                        if (!IsReal(symbol.Type))
                        {
                            Report(DiagnosticDescriptors.UnsupportedSyntax, variable, variable.Identifier.Text, "locals must be double (or another pair potential)");
                            ok = false;
                            continue;
                        }
                        var value = Translate(variable.Initializer.Value, scope);
                        if (value is null) ok = false;
                        else scope.Values[symbol] = value;
                    }
                    break;
                case ReturnStatementSyntax ret when i == statements.Count - 1 && ret.Expression is not null:
                    var result = Translate(ret.Expression, scope);
                    return ok ? result : null;
                default:
                    Report(DiagnosticDescriptors.UnsupportedSyntax, statement, Describe(statement), "Energy may hold only local declarations followed by a single return; write branches as conditional expressions (c ? a : b)");
                    return null;
            }
        }
        Report(DiagnosticDescriptors.UnsupportedSyntax, block, "block", "Energy must end with a return statement");
        return null;
    }

    private static string Describe(StatementSyntax statement) => statement switch
    {
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "loop",
        IfStatementSyntax => "if statement",
        ReturnStatementSyntax => "return before the end",
        LocalDeclarationStatementSyntax => "local declaration after the return",
        _ => statement.Kind().ToString(),
    };

    private static bool IsReal(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single
        or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte
        or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Decimal;

    private Expr? Translate(ExpressionSyntax syntax, Scope scope)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var division = syntax.DescendantNodesAndSelf().OfType<BinaryExpressionSyntax>().FirstOrDefault(b => b.IsKind(SyntaxKind.DivideExpression)
            && IsIntegral(scope.Model.GetTypeInfo(b.Left, cancellationToken).Type)
            && IsIntegral(scope.Model.GetTypeInfo(b.Right, cancellationToken).Type));
        if (division is not null)
        {
            // C# truncates 1 / 2 to 0: almost never what a formula means, so it is reported rather than folded.
            Report(DiagnosticDescriptors.UnsupportedSyntax, division, division.ToString(), "integer division truncates; write a double literal such as 1.0 / 2");
            return null;
        }
        // The same in a constant Energy reads: const double Half = 1 / 2 is 0, and would be folded in as such.
        foreach (var name in syntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            if (scope.Model.GetSymbolInfo(name, cancellationToken).Symbol is IFieldSymbol { IsConst: true } read && IntegerDivisionIn(read) is { } truncating)
            {
                Report(DiagnosticDescriptors.UnsupportedSyntax, name, name.ToString(), $"its value {truncating} divides integers, which truncates; write a double literal such as 1.0 / 2");
                return null;
            }
        var constant = scope.Model.GetConstantValue(syntax, cancellationToken);
        if (constant.HasValue)
        {
            switch (constant.Value)
            {
                case bool b: return Ex.Bool(b);
                case double d: return Ex.Num(d);
                case float f: return Ex.Num(f);
                case int i: return Ex.Num(i);
                case long l: return Ex.Num(l);
                case decimal m: return Ex.Num((double)m);
                case short s: return Ex.Num(s);
                case byte b8: return Ex.Num(b8);
                case uint u: return Ex.Num(u);
                case ulong ul: return Ex.Num(ul);
            }
        }

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax p:
                return Translate(p.Expression, scope);
            case CastExpressionSyntax cast:
            {
                var target = scope.Model.GetTypeInfo(cast.Type, cancellationToken).Type;
                if (target?.SpecialType != SpecialType.System_Double)
                {
                    Report(DiagnosticDescriptors.UnsupportedSyntax, cast, cast.ToString(), "only casts to double are allowed");
                    return null;
                }
                return Translate(cast.Expression, scope);
            }
            case PrefixUnaryExpressionSyntax unary:
            {
                var operand = Translate(unary.Operand, scope);
                if (operand is null) return null;
                switch (unary.Kind())
                {
                    case SyntaxKind.UnaryMinusExpression: return Ex.Neg(operand);
                    case SyntaxKind.UnaryPlusExpression: return operand;
                    case SyntaxKind.LogicalNotExpression: return Ex.Not(operand);
                }
                Report(DiagnosticDescriptors.UnsupportedSyntax, unary, unary.OperatorToken.Text, "operator not supported");
                return null;
            }
            case BinaryExpressionSyntax binary:
                return TranslateBinary(binary, scope);
            case ConditionalExpressionSyntax conditional:
            {
                var condition = Translate(conditional.Condition, scope);
                var whenTrue = Translate(conditional.WhenTrue, scope);
                var whenFalse = Translate(conditional.WhenFalse, scope);
                if (condition is null || whenTrue is null || whenFalse is null) return null;
                if (!condition.IsPredicate)
                {
                    Report(DiagnosticDescriptors.UnsupportedSyntax, conditional.Condition, conditional.Condition.ToString(), "a condition must be a comparison");
                    return null;
                }
                return Ex.Cond(condition, whenTrue, whenFalse);
            }
            case InvocationExpressionSyntax invocation:
                return TranslateInvocation(invocation, scope);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax or ThisExpressionSyntax:
                return TranslateName(syntax, scope);
            case LiteralExpressionSyntax:
                break;
        }
        Report(DiagnosticDescriptors.UnsupportedSyntax, syntax, Truncate(syntax.ToString()), "not a differentiable expression of r and the parameters");
        return null;
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";

    private Expr? TranslateBinary(BinaryExpressionSyntax binary, Scope scope)
    {
        var kind = binary.Kind();
        if (kind is not (SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression
            or SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression
            or SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression))
        {
            Report(DiagnosticDescriptors.UnsupportedSyntax, binary, binary.OperatorToken.Text, "operator not supported");
            return null;
        }
        var left = Translate(binary.Left, scope);
        var right = Translate(binary.Right, scope);
        if (left is null || right is null) return null;
        return kind switch
        {
            SyntaxKind.AddExpression => Ex.Add(left, right),
            SyntaxKind.SubtractExpression => Ex.Sub(left, right),
            SyntaxKind.MultiplyExpression => Ex.Mul(left, right),
            SyntaxKind.DivideExpression => Ex.Div(left, right),
            SyntaxKind.LessThanExpression => Ex.Compare(CompareOp.Less, left, right),
            SyntaxKind.LessThanOrEqualExpression => Ex.Compare(CompareOp.LessOrEqual, left, right),
            SyntaxKind.GreaterThanExpression => Ex.Compare(CompareOp.Greater, left, right),
            SyntaxKind.GreaterThanOrEqualExpression => Ex.Compare(CompareOp.GreaterOrEqual, left, right),
            SyntaxKind.LogicalAndExpression => Ex.And(left, right),
            _ => Ex.Or(left, right),
        };
    }

    /// <summary>An integer division in the initialiser of <paramref name="constant"/>, if any.</summary>
    private BinaryExpressionSyntax? IntegerDivisionIn(IFieldSymbol constant)
    {
        foreach (var reference in constant.DeclaringSyntaxReferences)
            if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } value })
            {
                var model = compilation.GetSemanticModel(value.SyntaxTree);
                var division = value.DescendantNodesAndSelf().OfType<BinaryExpressionSyntax>().FirstOrDefault(b => b.IsKind(SyntaxKind.DivideExpression)
                    && IsIntegral(model.GetTypeInfo(b.Left, cancellationToken).Type) && IsIntegral(model.GetTypeInfo(b.Right, cancellationToken).Type));
                if (division is not null) return division;
            }
        return null;
    }

    private static bool IsIntegral(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
        or SpecialType.System_Int16 or SpecialType.System_Byte or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    private Expr? TranslateName(ExpressionSyntax syntax, Scope scope)
    {
        var symbol = scope.Model.GetSymbolInfo(syntax, cancellationToken).Symbol;
        switch (symbol)
        {
            case ILocalSymbol or IParameterSymbol when scope.Values.TryGetValue(symbol, out var value):
                return value;
            case IFieldSymbol { HasConstantValue: true } constant when constant.ConstantValue is not null:
                return Ex.Num(Convert.ToDouble(constant.ConstantValue, System.Globalization.CultureInfo.InvariantCulture));
            case IFieldSymbol field when scope.Fields.TryGetValue(field, out var parameter):
                return parameter;
        }
        Report(DiagnosticDescriptors.UnknownSymbol, syntax, syntax.ToString());
        return null;
    }

    private Expr? TranslateInvocation(InvocationExpressionSyntax invocation, Scope scope)
    {
        var info = scope.Model.GetSymbolInfo(invocation, cancellationToken);
        if (info.Symbol is not IMethodSymbol method)
        {
            Report(DiagnosticDescriptors.UnknownFunction, invocation, Truncate(invocation.Expression.ToString()));
            return null;
        }

        if (method.Name == "Energy" && method.ContainingType is { } callee && PotentialParser.IsPairPotential(callee))
        {
            return InlineEnergy(invocation, method, callee, scope);
        }

        var arguments = new List<Expr>();
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            var value = Translate(argument.Expression, scope);
            if (value is null) return null;
            arguments.Add(value);
        }

        var container = method.ContainingType?.ToDisplayString();
        var n = arguments.Count;
        if (container == "System.Math" || container == "System.Double")
        {
            switch (method.Name)
            {
                case "Exp" when n == 1: return Ex.Call(Fn.Exp, arguments[0]);
                case "Log" when n == 1: return Ex.Call(Fn.Log, arguments[0]);
                case "Log" when n == 2: return Ex.Div(Ex.Call(Fn.Log, arguments[0]), Ex.Call(Fn.Log, arguments[1]));
                case "Log10" when n == 1: return Ex.Mul(Ex.Num(1 / Math.Log(10)), Ex.Call(Fn.Log, arguments[0]));
                case "Sqrt" when n == 1: return Ex.Pow(arguments[0], Ex.Num(0.5));
                case "Pow" when n == 2: return Ex.Pow(arguments[0], arguments[1]);
                case "Tanh" when n == 1: return Ex.Call(Fn.Tanh, arguments[0]);
                case "Sin" when n == 1: return Ex.Call(Fn.Sin, arguments[0]);
                case "Cos" when n == 1: return Ex.Call(Fn.Cos, arguments[0]);
                case "Sinh" when n == 1:
                    return Ex.Mul(Ex.Num(0.5), Ex.Sub(Ex.Call(Fn.Exp, arguments[0]), Ex.Call(Fn.Exp, Ex.Neg(arguments[0]))));
                case "Cosh" when n == 1:
                    return Ex.Mul(Ex.Num(0.5), Ex.Add(Ex.Call(Fn.Exp, arguments[0]), Ex.Call(Fn.Exp, Ex.Neg(arguments[0]))));
            }
        }
        if (container == "DiffSim.Numerics.SimdMath" && method.Name == "Erfc" && n == 1)
        {
            return Ex.Call(Fn.Erfc, arguments[0]);
        }
        Report(DiagnosticDescriptors.UnknownFunction, invocation, method.ContainingType?.Name + "." + method.Name);
        return null;
    }

    private Expr? InlineEnergy(InvocationExpressionSyntax invocation, IMethodSymbol energy, INamedTypeSymbol callee, Scope scope)
    {
        if (_inlining.Contains(callee, SymbolEqualityComparer.Default))
        {
            Report(DiagnosticDescriptors.PotentialCall, invocation, callee.Name, "the call is recursive");
            return null;
        }
        if (energy.Parameters.Length != 1 || invocation.ArgumentList.Arguments.Count != 1)
        {
            Report(DiagnosticDescriptors.PotentialCall, invocation, callee.Name, "Energy takes the distance only");
            return null;
        }
        Instance? instance = null;
        switch (invocation.Expression)
        {
            case MemberAccessExpressionSyntax member when member.Expression is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax:
                instance = Bind(member.Expression, callee, scope);
                if (instance is null) return null;
                break;
            case MemberAccessExpressionSyntax member when scope.Model.GetSymbolInfo(member.Expression, cancellationToken).Symbol is ILocalSymbol local
                                                          && scope.Instances.TryGetValue(local, out var bound):
                instance = bound;
                break;
        }
        if (instance is null)
        {
            Report(DiagnosticDescriptors.PotentialCall, invocation, callee.Name, "call it on 'new " + callee.Name + "(...)' or on a local initialised so");
            return null;
        }
        var declaration = energy.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(d => d.Body is not null || d.ExpressionBody is not null);
        if (declaration is null)
        {
            Report(DiagnosticDescriptors.PotentialCall, invocation, callee.Name, "its Energy is not declared in this compilation");
            return null;
        }
        var distance = Translate(invocation.ArgumentList.Arguments[0].Expression, scope);
        if (distance is null) return null;
        var before = diagnostics.Count;
        var result = TranslateEnergy(callee, energy, declaration, distance, instance.Fields);
        if (result is null && diagnostics.Count == before)
        {
            Report(DiagnosticDescriptors.PotentialCall, invocation, callee.Name, "its Energy is not supported");
        }
        return result;
    }

    /// <summary>Binds 'new T(args) { F = v }' to T's parameter fields, reading T's constructor body for positional arguments.</summary>
    private Instance? Bind(ExpressionSyntax creation, INamedTypeSymbol type, Scope scope)
    {
        if (scope.Model.GetOperation(creation, cancellationToken) is not IObjectCreationOperation operation)
        {
            Report(DiagnosticDescriptors.PotentialCall, creation, type.Name, "initialise it with 'new " + type.Name + "(...)'");
            return null;
        }
        var parameterFields = PotentialParser.ParameterFields(type);
        var fields = new Dictionary<IFieldSymbol, Expr>(SymbolEqualityComparer.Default);
        foreach (var field in parameterFields) fields[field] = Ex.Zero;

        var constructor = operation.Constructor;
        if (constructor is not null && constructor.Parameters.Length > 0)
        {
            var arguments = new Dictionary<ISymbol, Expr>(SymbolEqualityComparer.Default);
            foreach (var argument in operation.Arguments)
            {
                if (argument.Parameter is null) continue;
                var value = Translate((ExpressionSyntax)argument.Value.Syntax, scope);
                if (value is null) return null;
                arguments[argument.Parameter] = value;
            }
            if (!BindConstructor(constructor, type, arguments, fields, creation)) return null;
        }

        if (operation.Initializer is { } initializer)
        {
            foreach (var item in initializer.Initializers)
            {
                if (item is ISimpleAssignmentOperation { Target: IFieldReferenceOperation target } assignment && fields.ContainsKey(target.Field))
                {
                    var value = Translate((ExpressionSyntax)assignment.Value.Syntax, scope);
                    if (value is null) return null;
                    fields[target.Field] = value;
                }
                else
                {
                    Report(DiagnosticDescriptors.PotentialCall, item.Syntax, type.Name, "an initializer may set [Parameter] fields only");
                    return null;
                }
            }
        }
        return new Instance(type, fields);
    }

    private bool BindConstructor(IMethodSymbol constructor, INamedTypeSymbol type, Dictionary<ISymbol, Expr> arguments, Dictionary<IFieldSymbol, Expr> fields, SyntaxNode at)
    {
        var declaration = constructor.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<ConstructorDeclarationSyntax>().FirstOrDefault();
        if (declaration is null || declaration.Initializer is not null)
        {
            Report(DiagnosticDescriptors.PotentialCall, at, type.Name, "its constructor must be declared in this compilation and assign the parameter fields directly");
            return false;
        }
        var model = compilation.GetSemanticModel(declaration.SyntaxTree);
        var scope = new Scope(model, new Dictionary<IFieldSymbol, Expr>(SymbolEqualityComparer.Default));
        foreach (var pair in arguments) scope.Values[pair.Key] = pair.Value;

        IEnumerable<ExpressionSyntax> assignments = declaration.ExpressionBody is { } arrow
            ? new[] { arrow.Expression }
            : declaration.Body?.Statements.Select(s => (s as ExpressionStatementSyntax)?.Expression!) ?? Enumerable.Empty<ExpressionSyntax>();
        foreach (var statement in assignments)
        {
            if (statement is AssignmentExpressionSyntax assignment && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                && model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is IFieldSymbol field && fields.ContainsKey(field))
            {
                var value = Translate(assignment.Right, scope);
                if (value is null) return false;
                fields[field] = value;
                continue;
            }
            Report(DiagnosticDescriptors.PotentialCall, at, type.Name, "its constructor may only assign [Parameter] fields ('Field = expression;')");
            return false;
        }
        return true;
    }
}
