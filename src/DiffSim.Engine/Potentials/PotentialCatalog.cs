using System.Collections.Concurrent;
using DiffSim.Adjoint;
using DiffSim.Forces;

namespace DiffSim.Potentials;

/// <summary>Builds a force field for a named potential from per type-pair parameter values.</summary>
public interface IPotentialFactory
{
    /// <summary>Name used in configs.</summary>
    string Name { get; }

    IReadOnlyList<string> ParameterNames { get; }

    IForceField Create(int typeCount, IReadOnlyList<string> typeNames, IReadOnlyList<PairSpec> pairs, ForceFieldOptions options);

    /// <summary>The same force field with its parameters trainable (θ per type pair a ≤ b).</summary>
    IDifferentiableForceField CreateDifferentiable(int typeCount, IReadOnlyList<string> typeNames, IReadOnlyList<PairSpec> pairs, ForceFieldOptions options);
}

/// <summary>
/// The potentials known by name to configs. Every top-level <see cref="PairPotentialAttribute"/> struct registers
/// itself here from a module initialiser the generator emits, when its assembly loads: the built-in ones with the
/// engine, a user's with the user's assembly. <see cref="Register{TPotential}"/> adds others by hand.
/// </summary>
public static class PotentialCatalog
{
    private static readonly ConcurrentDictionary<string, IPotentialFactory> Factories = new(StringComparer.OrdinalIgnoreCase);

    // Names that two different potentials registered: a config naming one is refused rather than given either.
    private static readonly ConcurrentDictionary<string, string> Ambiguous = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Makes <typeparamref name="TPotential"/> known to configs as <paramref name="name"/>; the same potential registered
    /// again is a no-op. A name another potential holds already stays with it and becomes ambiguous: <see cref="Find"/>
    /// refuses it, naming both (a user's "buck" must not silently replace, or be replaced by, the built-in one). Not an
    /// exception here: registration runs in a module initialiser, where one would make the whole assembly unusable.
    /// </summary>
    public static void Register<TPotential>(string name) where TPotential : struct, IPairPotential<TPotential>
    {
        var held = Factories.GetOrAdd(name, n => new Factory<TPotential>(n));
        if (held is not Factory<TPotential>)
            Ambiguous[name] = $"{held.GetType().GetGenericArguments()[0].FullName} and {typeof(TPotential).FullName}";
    }

    public static IPotentialFactory Find(string name)
    {
        if (Ambiguous.TryGetValue(name, out var both))
            throw new ArgumentException($"two pair potentials are named \"{name}\" ({both}); give one of them another Name in its [PairPotential] attribute");
        return Factories.TryGetValue(name, out var f) ? f
            : throw new ArgumentException($"unknown potential kind \"{name}\"; known kinds: {string.Join(", ", Names.Append("table"))}");
    }

    public static IEnumerable<string> Names => Factories.Keys.Order(StringComparer.Ordinal);

    /// <summary>The parameter vector of a generated potential from named values; every parameter must be given, no other name is allowed.</summary>
    public static double[] ParameterVector<TPotential>(IReadOnlyDictionary<string, double> values, string context) where TPotential : struct, IPairPotential<TPotential>
    {
        var names = TPotential.ParameterNames;
        var p = new double[names.Length];
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < names.Length; k++)
        {
            known.Add(names[k]);
            if (!TryGet(values, names[k], out p[k]))
                throw new ArgumentException($"{context}: missing parameter \"{names[k].ToLowerInvariant()}\" (this potential takes {string.Join(", ", names.ToArray().Select(n => n.ToLowerInvariant()))})");
            if (k < TPotential.PositiveParameters.Length && TPotential.PositiveParameters[k] && !(p[k] > 0))
                throw new ArgumentException(FormattableString.Invariant($"{context}: {names[k].ToLowerInvariant()} must be positive, got {p[k]}"));
        }
        foreach (var key in values.Keys)
            if (!known.Contains(key))
                throw new ArgumentException($"{context}: unknown parameter \"{key}\" (this potential takes {string.Join(", ", names.ToArray().Select(n => n.ToLowerInvariant()))})");
        return p;
    }

    private static bool TryGet(IReadOnlyDictionary<string, double> values, string name, out double value)
    {
        foreach (var (k, v) in values)
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        value = 0;
        return false;
    }

    private sealed class Factory<TPotential>(string name) : IPotentialFactory where TPotential : struct, IPairPotential<TPotential>
    {
        public string Name { get; } = name;
        public IReadOnlyList<string> ParameterNames { get; } = TPotential.ParameterNames.ToArray();

        public IForceField Create(int typeCount, IReadOnlyList<string> typeNames, IReadOnlyList<PairSpec> pairs, ForceFieldOptions options)
            => CreatePairField(typeCount, typeNames, pairs, options);

        public IDifferentiableForceField CreateDifferentiable(int typeCount, IReadOnlyList<string> typeNames, IReadOnlyList<PairSpec> pairs, ForceFieldOptions options)
            => new DifferentiablePairField<TPotential>(CreatePairField(typeCount, typeNames, pairs, options), typeNames);

        private static PairForceField<TPotential> CreatePairField(int typeCount, IReadOnlyList<string> typeNames, IReadOnlyList<PairSpec> pairs, ForceFieldOptions options)
        {
            var table = new PairTable<TPotential>(typeCount);
            foreach (var pair in pairs)
            {
                var context = $"potential pair [\"{typeNames[pair.TypeA]}\", \"{typeNames[pair.TypeB]}\"]";
                var p = TPotential.FromParameters(ParameterVector<TPotential>(pair.Parameters, context));
                table.Set(pair.TypeA, pair.TypeB, p, pair.Cutoff, options.Shift);
            }
            table.EnsureComplete(typeNames);
            return new PairForceField<TPotential>(table, options.Skin, options.Precision, options.Path, options.Threads);
        }
    }
}
