using DiffSim.Systems;

namespace DiffSim.Setup;

/// <summary>
/// Ready-to-run states, as a config's [system] table makes them: positions on a lattice or placed at random, types
/// assigned by fraction, Maxwell–Boltzmann velocities at a temperature with zero total momentum. For code that embeds
/// the engine; the command line builds its states here too.
/// </summary>
public static class InitialState
{
    /// <summary>
    /// nx × ny × nz cubic cells of an fcc or sc lattice at <paramref name="density"/> (particles per length³), in a box
    /// of the cells' size.
    /// </summary>
    /// <param name="kind">fcc (4 sites a cell) or sc (1).</param>
    /// <param name="nx">Cells along x.</param>
    /// <param name="ny">Cells along y.</param>
    /// <param name="nz">Cells along z.</param>
    /// <param name="density">Number density, particles per length³.</param>
    /// <param name="types">The particle types; <paramref name="fractions"/> give their shares, in the same order.</param>
    /// <param name="fractions">Each type's share of the sites (summing to 1).</param>
    /// <param name="units">The unit system of lengths, masses and temperatures.</param>
    /// <param name="temperature">Initial temperature (ε/k_B under lj, K under real).</param>
    /// <param name="seed">Seeds the assignment of types to sites.</param>
    /// <param name="velocitySeed">Seeds the velocities (default <paramref name="seed"/>).</param>
    public static State OnLattice(LatticeKind kind, int nx, int ny, int nz, double density, IReadOnlyList<ParticleType> types,
        IReadOnlyList<double> fractions, UnitSystem units, double temperature, ulong seed, ulong? velocitySeed = null)
    {
        var a = Lattice.CellEdge(kind, density);
        var (x, y, z) = Lattice.Sites(kind, nx, ny, nz, a);
        return Fill(new Box(nx * a, ny * a, nz * a), x, y, z, types, fractions, units, temperature, seed, velocitySeed);
    }

    /// <summary>
    /// <paramref name="count"/> particles placed at random in <paramref name="box"/>, no two closer than
    /// <paramref name="minDistance"/> (throws <see cref="InvalidOperationException"/> when they do not fit). The other
    /// parameters as <see cref="OnLattice"/>'s; <paramref name="seed"/> seeds the placement as well.
    /// </summary>
    public static State Random(int count, Box box, double minDistance, IReadOnlyList<ParticleType> types,
        IReadOnlyList<double> fractions, UnitSystem units, double temperature, ulong seed, ulong? velocitySeed = null)
    {
        var (x, y, z) = RandomPlacement.Place(count, box, minDistance, seed);
        return Fill(box, x, y, z, types, fractions, units, temperature, seed, velocitySeed);
    }

    private static State Fill(Box box, double[] x, double[] y, double[] z, IReadOnlyList<ParticleType> types,
        IReadOnlyList<double> fractions, UnitSystem units, double temperature, ulong seed, ulong? velocitySeed)
    {
        if (fractions.Count != types.Count) throw new ArgumentException($"{types.Count} particle types but {fractions.Count} fractions");
        var state = new State(box, types, Composition.Assign(x.Length, fractions, seed), units);
        x.CopyTo(state.X); y.CopyTo(state.Y); z.CopyTo(state.Z);
        Velocities.Initialise(state, temperature, velocitySeed ?? seed);
        return state;
    }
}
