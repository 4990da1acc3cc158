using DiffSim.Setup;
using DiffSim.Systems;
using DiffSim.Tests.Engine;

namespace DiffSim.Tests.Observables;

/// <summary>Disordered configurations for the observable tests: jiggled fcc lattices, one or two types.</summary>
internal static class ObservableSystems
{
    /// <summary>An fcc lattice of cells³ cells at density ρ, every particle displaced by up to ±amplitude per component.</summary>
    public static State Jiggled(int cells, double density, double amplitude, int seed, double fractionB = 0)
    {
        var a = Lattice.CellEdge(LatticeKind.Fcc, density);
        var (x, y, z) = Lattice.Sites(LatticeKind.Fcc, cells, cells, cells, a);
        var types = fractionB > 0 ? Composition.Assign(x.Length, [1 - fractionB, fractionB], 7) : new int[x.Length];
        IReadOnlyList<ParticleType> kinds = fractionB > 0 ? [new ParticleType("A", 1.0), new ParticleType("B", 2.0)] : [ParticleType.Default];
        var state = new State(Box.Cubic(cells * a), kinds, types, UnitSystem.Lj);
        x.CopyTo(state.X); y.CopyTo(state.Y); z.CopyTo(state.Z);
        TestSystems.Jiggle(state, amplitude, seed);
        return state;
    }

    /// <summary>The same positions with every particle of one type.</summary>
    public static State SingleType(State state)
    {
        var single = new State(state.Box, [ParticleType.Default], new int[state.Count], UnitSystem.Lj);
        state.X.CopyTo(single.X); state.Y.CopyTo(single.Y); state.Z.CopyTo(single.Z);
        return single;
    }

    /// <summary>Deterministic pseudo-random coefficients in [−1, 1).</summary>
    public static double[] Coefficients(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
    }
}
