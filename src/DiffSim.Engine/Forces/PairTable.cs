using DiffSim.Potentials;

namespace DiffSim.Forces;

/// <summary>
/// Per type-pair parameters of a pair potential: the potential itself, its cutoff and, when shifted, the energy
/// u(r_c) subtracted inside the cutoff. Row-major typeCount × typeCount, symmetric.
/// </summary>
public sealed class PairTable<TPotential> where TPotential : struct, IPairPotential<TPotential>
{
    public PairTable(int typeCount)
    {
        if (typeCount < 1) throw new ArgumentException("at least one type is needed");
        TypeCount = typeCount;
        Potentials = new TPotential[typeCount * typeCount];
        Cutoffs = new double[typeCount * typeCount];
        Shifts = new double[typeCount * typeCount];
        Defined = new bool[typeCount * typeCount];
        Shifted = new bool[typeCount * typeCount];
    }

    public int TypeCount { get; }
    public TPotential[] Potentials { get; }
    public double[] Cutoffs { get; }
    public double[] Shifts { get; }

    /// <summary>Whether each pair is shifted: its <see cref="Shifts"/> entry is u(r_c), recomputed when its potential is set again.</summary>
    public bool[] Shifted { get; }

    internal bool[] Defined { get; }

    /// <summary>Sets the interaction of types a and b (and b and a).</summary>
    /// <param name="a">First type (index).</param>
    /// <param name="b">Second type (index).</param>
    /// <param name="potential">The pair potential with its parameters.</param>
    /// <param name="cutoff">r_c in length units (σ under lj, Å under real).</param>
    /// <param name="shift">Whether u(r_c) is subtracted inside the cutoff (LAMMPS' pair_modify shift yes).</param>
    public void Set(int a, int b, TPotential potential, double cutoff, bool shift)
    {
        if (!(cutoff > 0) || double.IsInfinity(cutoff)) throw new ArgumentException($"cutoff must be positive and finite, got {cutoff}");
        foreach (var (p, q) in new[] { (a, b), (b, a) })
        {
            var k = p * TypeCount + q;
            Potentials[k] = potential;
            Cutoffs[k] = cutoff;
            Shifts[k] = shift ? potential.Energy(cutoff) : 0.0;
            Shifted[k] = shift;
            Defined[k] = true;
        }
    }

    /// <summary>A single-type table.</summary>
    public static PairTable<TPotential> Single(TPotential potential, double cutoff, bool shift)
    {
        var table = new PairTable<TPotential>(1);
        table.Set(0, 0, potential, cutoff, shift);
        return table;
    }

    /// <summary>Throws naming the first type pair without an interaction (by <paramref name="typeNames"/>, else by index).</summary>
    public void EnsureComplete(IReadOnlyList<string>? typeNames = null)
    {
        for (var a = 0; a < TypeCount; a++)
            for (var b = a; b < TypeCount; b++)
                if (!Defined[a * TypeCount + b])
                {
                    var (na, nb) = typeNames is null ? (a.ToString(System.Globalization.CultureInfo.InvariantCulture), b.ToString(System.Globalization.CultureInfo.InvariantCulture)) : (typeNames[a], typeNames[b]);
                    throw new ArgumentException($"no interaction given for the type pair [\"{na}\", \"{nb}\"]: add a [[potential.pairs]] entry with types = [\"{na}\", \"{nb}\"] (or Set it in the table)");
                }
    }

    public ref TPotential this[int a, int b] => ref Potentials[a * TypeCount + b];
}
