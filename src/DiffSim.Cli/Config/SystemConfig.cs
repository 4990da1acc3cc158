using System.Text.RegularExpressions;

namespace DiffSim.Cli.Config;

/// <summary>How the starting positions are made.</summary>
public enum StartStructure
{
    Fcc,
    Sc,
    Random,
}

/// <summary>A particle species of <c>[system].types</c>.</summary>
public sealed record TypeConfig(string Name, double Mass, double Fraction);

/// <summary>
/// <c>[system]</c>: the starting structure, density, composition and (optionally) the initial temperature.
/// A lattice fills <c>cells</c> cubic cells at the given number density; <c>random</c> places <c>count</c>
/// particles (or as many as an fcc lattice of <c>cells</c> would have, in the same box) no closer than
/// <c>min_distance</c>.
/// </summary>
public sealed partial record SystemConfig(
    StartStructure Lattice,
    int[]? Cells,
    int? Count,
    double Density,
    ulong Seed,
    double? MinDistance,
    IReadOnlyList<TypeConfig> Types,
    double? Temperature)
{
    public static SystemConfig Read(TomlSection s)
    {
        var lattice = s.Choice("lattice", "fcc", "sc", "random") switch
        {
            "sc" => StartStructure.Sc,
            "random" => StartStructure.Random,
            _ => StartStructure.Fcc,
        };
        var cells = ReadCells(s);
        var count = s.Int("count", 1, MaxParticles);
        var minDistance = s.Double("min_distance");
        if (lattice != StartStructure.Random)
        {
            if (count is not null) throw s.Error("count", "is only used with lattice = \"random\"; a lattice's size is set by cells");
            if (minDistance is not null) throw s.Error("min_distance", "is only used with lattice = \"random\"");
            if (cells is null) throw s.Missing("cells", "give the lattice cells as cells = [nx, ny, nz]");
        }
        else
        {
            if (count is null && cells is null) throw s.Missing("count", "lattice = \"random\" needs count = N (or cells = [nx, ny, nz] for 4·nx·ny·nz particles in the fcc box)");
            if (count is not null && cells is not null) throw s.Error("count", "give count or cells for lattice = \"random\", not both");
            if (minDistance is { } md && !(md >= 0)) throw s.Error("min_distance", $"must be zero or more, got {md}");
        }
        var density = s.Double("density") ?? throw s.Missing("density", "give the number density (particles per length³), e.g. density = 0.8442");
        if (!(density > 0)) throw s.Error("density", $"must be positive (particles per length³), got {density}");
        var seed = s.Seed("seed") ?? 1;
        var temperature = s.Double("temperature");
        if (temperature is { } t && !(t >= 0)) throw s.Error("temperature", $"must be zero or more, got {t}");
        var types = ReadTypes(s);
        s.EnsureNoUnknownKeys();
        // A count is bounded by its own read; cells make their particles by the lattice's sites a cell.
        if (count is null) CheckCells(s, lattice, cells!);
        return new SystemConfig(lattice, cells, count, density, seed, minDistance, types, temperature);
    }

    /// <summary>
    /// Most particles a run may hold: the neighbour lists index their entries (some 40 a particle in a dense liquid)
    /// with 32-bit integers, and a run takes some 700 bytes a particle (35 GB at this size).
    /// </summary>
    public const int MaxParticles = 50_000_000;

    /// <summary>
    /// Rejects <c>cells</c> that make more than <see cref="MaxParticles"/> particles on <paramref name="lattice"/> (a
    /// random structure sized by cells fills the fcc box).
    /// </summary>
    public static void CheckCells(TomlSection s, StartStructure lattice, IReadOnlyList<int> cells)
    {
        var perCell = DiffSim.Setup.Lattice.SitesPerCell(lattice == StartStructure.Sc ? DiffSim.Setup.LatticeKind.Sc : DiffSim.Setup.LatticeKind.Fcc);
        var particles = (long)perCell * cells[0] * cells[1] * cells[2];
        if (particles > MaxParticles)
            throw s.Error("cells", $"makes {particles:N0} particles; at most {MaxParticles:N0} fit one run (its neighbour lists are indexed by 32-bit integers)");
    }

    /// <summary>
    /// Fractions must sum to 1 (to round-off): a sum of 0.9 is likelier a typo than shares to be rescaled, and the
    /// composition it would silently give is not the one written.
    /// </summary>
    public static void CheckFractionSum(TomlSection s, string key, double sum)
    {
        // 1e-3: thirds written as 0.333 are meant as thirds (and are normalised), a sum of 0.9 is not.
        if (!(Math.Abs(sum - 1) <= 1e-3))
            throw s.Error(key, $"the type fractions sum to {sum:G6}; they must sum to 1");
    }

    private static int[]? ReadCells(TomlSection s)
    {
        if (!s.Has("cells")) return null;
        // A single integer n means n × n × n.
        var single = TryInteger(s);
        var cells = single is { } n ? [n, n, n] : s.Integers("cells")!;
        if (cells.Length != 3) throw s.Error("cells", $"must be three integers [nx, ny, nz], got {cells.Length}");
        if (cells.Any(c => c < 1 || c > 10_000)) throw s.Error("cells", $"each entry must be between 1 and 10000, got [{string.Join(", ", cells)}]");
        return cells.Select(c => (int)c).ToArray();
    }

    private static long? TryInteger(TomlSection s)
    {
        try { return s.Integer("cells"); }
        catch (ConfigException) { return null; }
    }

    private static List<TypeConfig> ReadTypes(TomlSection s)
    {
        var tables = s.Tables("types");
        if (tables.Count == 0) return [new TypeConfig("A", 1.0, 1.0)];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var raw = new List<(string Name, double Mass, double? Fraction)>();
        foreach (var t in tables)
        {
            var name = t.String("name") ?? throw t.Missing("name", "every type needs a name, e.g. { name = \"A\", mass = 1.0 }");
            if (!TypeName().IsMatch(name)) throw t.Error("name", $"\"{name}\" is not a usable type name: use letters, digits, '_' or '-' (it names output columns such as g_{name}_{name})");
            if (!names.Add(name)) throw t.Error("name", $"type \"{name}\" is defined twice");
            var mass = t.Double("mass") ?? 1.0;
            if (!(mass > 0)) throw t.Error("mass", $"must be positive, got {mass}");
            var fraction = t.Double("fraction");
            if (fraction is { } f && !(f >= 0)) throw t.Error("fraction", $"must be zero or more, got {f}");
            t.EnsureNoUnknownKeys();
            raw.Add((name, mass, fraction));
        }
        var given = raw.Count(r => r.Fraction is not null);
        if (given != 0 && given != raw.Count)
            throw s.Error("types", "give a fraction for every type or for none (none means equal shares)");
        if (given != 0) CheckFractionSum(s, "types", raw.Sum(r => r.Fraction!.Value));
        return raw.Select(r => new TypeConfig(r.Name, r.Mass, r.Fraction ?? 1.0 / raw.Count)).ToList();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TypeName();
}
