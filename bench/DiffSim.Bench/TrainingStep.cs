using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Losses;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Setup;
using DiffSim.Systems;
using DiffSim.Training;

namespace DiffSim.Bench;

/// <summary>
/// One training step on the paper's Lennard-Jones system (torchmd/mdgrad run_lj.py: 256 atoms, fcc start,
/// ρ = 0.3, T = 1.2, Nosé–Hoover, cutoff 2.5, a 60-step window, RDF frames every 5 steps, 100 bins on
/// [0.75, 3.3]): forward-only window, gradient window (forward, checkpoints, reverse) and a full Adam step
/// (<c>training [--windows W]</c>). Prints best-of processor times and the gradient/forward ratio.
/// </summary>
internal static class TrainingStep
{
    public static int Run(string[] args)
    {
        var k = Array.IndexOf(args, "--windows");
        var repeat = k >= 0 ? int.Parse(args[k + 1]) : 20;
        var (state, field, integrator) = System();
        var rdf = new SmearedRdf(1, 100, 0.75, 3.3, 0.0258);
        var target = new double[100];
        Array.Fill(target, 1.0);
        var loss = RdfMseLoss.For(rdf, [target], 0.75, 3.3);
        WindowLoss windowLoss = (o, d) => loss.Evaluate(o[0].Value, d[0]);

        var sim = new Simulation(state, field, integrator);
        sim.Run(500);
        var forward = ProcessorTime.Best(repeat, () =>
        {
            rdf.Reset();
            for (var n = 1; n <= 60; n++)
            {
                sim.Step();
                if (n % 5 == 0) rdf.Accumulate(rdf.Frames, state);
            }
        });
        var mdOnly = ProcessorTime.Best(repeat, () => sim.Run(60));
        var rdfOnly = ProcessorTime.Best(repeat, () => { rdf.Reset(); for (var f = 0; f < 12; f++) rdf.Accumulate(f, state); });
        Console.WriteLine($"  (MD alone {mdOnly * 1e3:F2} ms, 12 RDF frames alone {rdfOnly * 1e3:F2} ms, list builds {field.ListBuilds})");
        var gradient = new WindowGradient(field, integrator);
        var window = ProcessorTime.Best(repeat, () => gradient.Run(state, 60, 5, [rdf], windowLoss));
        var point = new StatePoint { Name = "lj", State = state, Field = field, Integrator = integrator, Observables = [rdf], Loss = windowLoss };
        var trainer = new Trainer([point], [1.0, 1.0], [true, true], new TrainingOptions { WindowSteps = 60, SampleEvery = 5, LearningRate = 1e-4, Threads = 1 });
        var step = ProcessorTime.Best(repeat, () => trainer.Step());
        Console.WriteLine($"256-atom LJ (rho 0.3, T 1.2), 60-step window, 12 RDF frames, one thread:");
        Console.WriteLine($"  forward window (MD + RDF)        {forward * 1e3,8:F2} ms");
        Console.WriteLine($"  gradient window (fwd + reverse)  {window * 1e3,8:F2} ms   ratio to forward {window / forward:F2}");
        Console.WriteLine($"  training step (window + Adam)    {step * 1e3,8:F2} ms");
        return 0;
    }

    private static (State, DifferentiablePairField<LennardJones>, IIntegrator) System()
    {
        var a = Lattice.CellEdge(LatticeKind.Fcc, 0.3);
        var (x, y, z) = Lattice.Sites(LatticeKind.Fcc, 4, 4, 4, a);
        var state = new State(Box.Cubic(4 * a), [ParticleType.Default], new int[x.Length], UnitSystem.Lj);
        x.CopyTo(state.X); y.CopyTo(state.Y); z.CopyTo(state.Z);
        Velocities.Initialise(state, 1.2, 1);
        var table = PairTable<LennardJones>.Single(new LennardJones(1, 1), 2.5, shift: false);
        var field = new DifferentiablePairField<LennardJones>(new PairForceField<LennardJones>(table, 0.3), false, ["A"]);
        return (state, field, new NoseHooverChain(0.005, 1.2, 0.25, 3));
    }
}
