using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Potentials;
using DiffSim.Setup;
using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>Small systems shared by the engine tests.</summary>
internal static class TestSystems
{
    /// <summary>An fcc Lennard-Jones crystal of cells³ cells at density ρ with Maxwell–Boltzmann velocities at T.</summary>
    public static State LjFcc(int cells, double density, double temperature, ulong seed = 1)
    {
        var a = Lattice.CellEdge(LatticeKind.Fcc, density);
        var (x, y, z) = Lattice.Sites(LatticeKind.Fcc, cells, cells, cells, a);
        var state = new State(Box.Cubic(cells * a), [ParticleType.Default], new int[x.Length], UnitSystem.Lj);
        x.CopyTo(state.X); y.CopyTo(state.Y); z.CopyTo(state.Z);
        Velocities.Initialise(state, temperature, seed);
        return state;
    }

    /// <summary>
    /// An fcc crystal at ρ = 0.8, T = 1.0 melted by <paramref name="meltSteps"/> NVE steps of shifted LJ (dt 0.005),
    /// its step count reset: the liquid the gradient tests start their windows from.
    /// </summary>
    public static State LjLiquid(int cells, ulong seed, int meltSteps)
    {
        var state = LjFcc(cells, 0.8, 1.0, seed);
        // Melted on one fixed path, not the host's automatic one: the melt is chaotic, so each path's round-off leaves
        // another liquid, and a test would meet another start on another processor.
        new Simulation(state, Lj(shift: true, path: KernelPath.Vector256), new VelocityVerlet(0.005)).Run(meltSteps);
        state.Step = 0;
        return state;
    }

    public static PairForceField<LennardJones> Lj(double cutoff = 2.5, bool shift = false, double skin = 0.3,
        Precision precision = Precision.Double, KernelPath path = KernelPath.Auto, int threads = 1)
        => new(PairTable<LennardJones>.Single(new LennardJones(1.0, 1.0), cutoff, shift), skin, precision, path, threads);

    /// <summary>Displaces every particle randomly by up to ±amplitude per component (reproducible).</summary>
    public static void Jiggle(State state, double amplitude, int seed)
    {
        var rng = new Random(seed);
        for (var i = 0; i < state.Count; i++)
        {
            state.X[i] += amplitude * (2 * rng.NextDouble() - 1);
            state.Y[i] += amplitude * (2 * rng.NextDouble() - 1);
            state.Z[i] += amplitude * (2 * rng.NextDouble() - 1);
        }
    }
}
