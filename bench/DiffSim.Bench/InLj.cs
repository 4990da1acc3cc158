using DiffSim.Forces;
using DiffSim.Potentials;
using DiffSim.Setup;
using DiffSim.Systems;

namespace DiffSim.Bench;

/// <summary>
/// LAMMPS bench/in.lj: fcc at ρ = 0.8442, 4·cells³ atoms, LJ ε = σ = 1 cut at 2.5 (not shifted), T0 = 1.44,
/// NVE with dt = 0.005, neighbour skin 0.3. The common problem of the micro and macro benchmarks.
/// </summary>
internal static class InLj
{
    public const double Density = 0.8442, Temperature = 1.44, Cutoff = 2.5, Skin = 0.3, TimeStep = 0.005;

    public static State Crystal(int cells, ulong seed = 87287, double density = Density)
    {
        var a = Lattice.CellEdge(LatticeKind.Fcc, density);
        var (x, y, z) = Lattice.Sites(LatticeKind.Fcc, cells, cells, cells, a);
        var state = new State(Box.Cubic(cells * a), [ParticleType.Default], new int[x.Length], UnitSystem.Lj);
        x.CopyTo(state.X); y.CopyTo(state.Y); z.CopyTo(state.Z);
        Velocities.Initialise(state, Temperature, seed);
        return state;
    }

    /// <summary>The in.lj pair style; <see cref="PruneBuffer"/> sets its pruned list's buffer (the bench's <c>--prune B</c>).</summary>
    public static PairForceField<LennardJones> ForceField(Precision precision, KernelPath path = KernelPath.Auto, int threads = 1)
        => new(PairTable<LennardJones>.Single(new LennardJones(1.0, 1.0), Cutoff, shift: false), Skin, precision, path, threads, PruneBuffer);

    public static double PruneBuffer { get; set; } = PairForceField<LennardJones>.DefaultPruneBuffer;

    /// <summary>Moves every atom by up to ±0.1 per component (reproducible): a crystal off its lattice sites, as after some steps.</summary>
    public static void Jiggle(State state, int seed = 7)
    {
        var rng = new Random(seed);
        for (var i = 0; i < state.Count; i++)
        {
            state.X[i] += 0.1 * (2 * rng.NextDouble() - 1);
            state.Y[i] += 0.1 * (2 * rng.NextDouble() - 1);
            state.Z[i] += 0.1 * (2 * rng.NextDouble() - 1);
        }
    }

    /// <summary>Fcc cells per side for about <paramref name="atoms"/> atoms.</summary>
    public static int CellsFor(int atoms) => (int)Math.Round(Math.Cbrt(atoms / 4.0));
}
