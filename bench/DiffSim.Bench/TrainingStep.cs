using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Losses;
using DiffSim.Neighbours;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Potentials.Neural;
using DiffSim.Setup;
using DiffSim.Systems;
using DiffSim.Training;

namespace DiffSim.Bench;

/// <summary>
/// One training step (<c>training [--windows W] [--nn] [--thermo] [--float] [--cells C] [--density D] [--path P] [--distribution]</c>), one thread, best-of processor times (and the
/// training step's mean over ten times as many, which includes the steps that rebuild neighbour lists; with
/// <c>--distribution</c>, wall-clock percentiles of 2,000 steps): a 60-step window
/// with RDF frames every 5 steps, simulated forward, differentiated, and followed by an Adam update.
/// </summary>
/// <remarks>
/// Default: the paper's Lennard-Jones system (torchmd/mdgrad run_lj.py: 256 atoms, fcc start, ρ = 0.3, T = 1.2,
/// Nosé–Hoover, cutoff 2.5, 100 RDF bins on [0.75, 3.3]), training ε and σ. <c>--nn</c>: the network, grid and state
/// point of <c>examples/nn-soft-shoulder</c> (256 atoms at ρ = 0.5, T = 0.7; 32 Gaussians, 2 × 32 SiLU, r⁻¹² prior,
/// r_c = 2.5 on the default grid; 150 bins on [0, 3], smearing 0.02), its 2145 weights pre-fitted to Lennard-Jones so
/// that the dynamics is a liquid's. Besides the totals it prints each part alone, so that the forward MD (force
/// field) can be told from the rest (RDF frames, reverse pass, integrators, update). <c>--thermo</c>: the loss adds
/// pressure and potential-energy terms on a <see cref="DifferentiableThermo"/> behind the RDF, with the weights of
/// <c>examples/nn-soft-shoulder/fit-pressure-energy.toml</c>. <c>--float</c>: the forward forces and the reverse pair
/// passes in single precision (<c>[train] precision = "float"</c>). <c>--cells C --density D</c>: the LJ system on
/// C³ fcc cells (4·C³ atoms) at density D, for training at other sizes (C = 8, D = 0.8442: a 2,048-atom liquid).
/// <c>--path</c>: the forward pair kernel's path (<see cref="PathOption"/>).
/// </remarks>
internal static class TrainingStep
{
    private const int Window = 60;
    private const int SampleEvery = 5;
    private const int Frames = Window / SampleEvery;

    public static int Run(string[] args)
    {
        var k = Array.IndexOf(args, "--windows");
        var repeat = k >= 0 ? int.Parse(args[k + 1]) : 20;
        var neural = args.Contains("--nn");
        var precision = args.Contains("--float") ? Precision.Float : Precision.Double;
        var c = Array.IndexOf(args, "--cells");
        var cells = c >= 0 ? int.Parse(args[c + 1]) : 4;
        var d = Array.IndexOf(args, "--density");
        var density = d >= 0 ? double.Parse(args[d + 1], System.Globalization.CultureInfo.InvariantCulture) : 0.3;
        var path = KernelPaths.Resolve(PathOption.Parse(args));
        var (state, field, integrator, rdf, title) = neural ? NeuralSystem(precision, path) : LennardJonesSystem(precision, cells, density, path);
        if (precision == Precision.Float) title += ", float forward forces";
        title += $", {path.ToString().ToLowerInvariant()} forward kernel";
        var target = new double[rdf.Length];
        Array.Fill(target, 1.0);
        var loss = RdfMseLoss.For(rdf, [target], rdf.RMin, rdf.RMax);
        WindowLoss windowLoss = (o, d) => loss.Evaluate(o[0].Value, d[0]);
        var thermo = new DifferentiableThermo((IDifferentiableEnergyVirial)field);
        IWindowObservable[] observables = args.Contains("--thermo") ? [rdf, thermo] : [rdf];
        if (observables.Length > 1)
        {
            var terms = new CompositeLoss([new LossTerm("rdf", 0, 0, loss),
                new LossTerm("pressure", 1, DifferentiableThermo.Pressure, new ScalarTargetLoss(2.6306, 0.002, 0.35)),
                new LossTerm("energy", 1, DifferentiableThermo.Energy, new ScalarTargetLoss(1.0802, 0.003, 0.7))]);
            windowLoss = terms.Evaluate;
            title += ", pressure and energy terms";
        }

        var sim = new Simulation(state, field, integrator);
        sim.Run(500);
        var dLoss = new double[rdf.Length];
        var adjoint = new PhaseSpaceGradient(state.Count);
        var accumulator = new double[field.AccumulatorLength];
        var gradient = new WindowGradient(field, integrator);
        var theta = new double[field.ParameterCount];
        field.GetParameters(theta);
        var point = new StatePoint { Name = "bench", State = state, Field = field, Integrator = integrator, Observables = observables, Loss = windowLoss };
        var trainer = new Trainer([point], theta, Enumerable.Repeat(true, theta.Length).ToArray(),
            new TrainingOptions { WindowSteps = Window, SampleEvery = SampleEvery, LearningRate = 1e-5, Threads = 1 });

        // The forward simulation of the window: the MD and every observable the loss reads (the thermo's frames too
        // with --thermo), the baseline of the gradient's cost ratio.
        Action forwardWindow = () =>
        {
            foreach (var o in observables) o.Reset();
            for (var n = 1; n <= Window; n++)
            {
                // As in WindowGradient: the energy of the window's last step alone.
                sim.Step(energy: n == Window);
                if (n % SampleEvery != 0) continue;
                foreach (var o in observables) o.Accumulate(o.Frames, state);
            }
        };
        Action mdAlone = () => sim.Run(Window);
        Action forceAlone = () => { for (var n = 0; n < Window; n++) field.Compute(state); };
        Action rdfFrames = () => { rdf.Reset(); for (var f = 0; f < Frames; f++) rdf.Accumulate(f, state); };
        var search = new PairSearch();
        var searchCutoff = Math.Min(rdf.RMax + SmearingKernel.Reach * rdf.Sigma, 0.5 * state.Box.MinEdge);
        Action rdfSearches = () => { for (var f = 0; f < Frames; f++) search.Collect(state, searchCutoff); };
        // The reverse pass's own list (the forward skin of 0.3 capped at ReversePassSkin).
        var halfList = new HalfPairList(field.MaxCutoff, HalfPairList.ReversePassSkin);
        Action listBuild = () => halfList.Build(state);
        var frame = new PairSearch();
        Action frameListBuild = () =>
        {
            // The frame's search once at this state (the best of the repeats is a build alone).
            if (!halfList.Build(state, frame)) frame.Collect(state, searchCutoff);
        };
        Action rdfBackward = () => { for (var f = 0; f < Frames; f++) rdf.Backward(f, state, dLoss, adjoint); };
        Action pairPasses = () => { for (var n = 0; n < Window; n++) field.Backward(state, adjoint.Vx, adjoint.Vy, adjoint.Vz, adjoint, accumulator); };
        var parameterGradient = new double[field.ParameterCount];
        Action perWindow = () => { field.SetParameters(theta); field.FinishGradient(accumulator, parameterGradient); };
        Action gradientWindow = () => gradient.Run(state, Window, SampleEvery, observables, windowLoss);
        // The thermo's frames and their backward at one state, the RDF's frames (at that state) before them.
        double[] dThermo = [0.01, 0.02];
        Action thermoFrames = () => { thermo.Reset(); for (var f = 0; f < Frames; f++) thermo.Accumulate(f, state); };
        Action thermoBackward = () => { for (var f = 0; f < Frames; f++) thermo.Backward(f, state, dThermo, adjoint, accumulator); };
        Action trainingStep = () => trainer.Step();

        // Steady state, as in a training run of hundreds of epochs: every part runs often enough to reach the
        // optimising JIT tier, and the pause lets the background compilations finish before anything is timed.
        rdfFrames();
        loss.Evaluate(rdf.Value, dLoss);
        thermoFrames();
        foreach (var action in new[] { forwardWindow, rdfFrames, rdfSearches, listBuild, frameListBuild, rdfBackward, pairPasses, perWindow, thermoFrames, thermoBackward, gradientWindow, trainingStep })
            for (var w = 0; w < 40; w++) action();
        Thread.Sleep(1000);

        var forward = ProcessorTime.Best(repeat, forwardWindow);
        var md = ProcessorTime.Best(repeat, mdAlone);
        var force = ProcessorTime.Best(repeat, forceAlone);
        var rdfForward = ProcessorTime.Best(repeat, rdfFrames);
        var rdfSearch = ProcessorTime.Best(repeat, rdfSearches);
        var build = ProcessorTime.Best(repeat, listBuild);
        var frameBuild = ProcessorTime.Best(repeat, frameListBuild);
        var rdfReverse = ProcessorTime.Best(repeat, rdfBackward);
        var pairAdjoint = ProcessorTime.Best(repeat, pairPasses);
        var potential = ProcessorTime.Best(repeat, perWindow);
        rdfFrames();
        var thermoForward = ProcessorTime.Best(repeat, thermoFrames);
        var thermoReverse = ProcessorTime.Best(repeat, thermoBackward);
        var window = ProcessorTime.Best(repeat, gradientWindow);
        var step = ProcessorTime.Best(repeat, trainingStep);
        var meanStep = ProcessorTime.Mean(10 * repeat, trainingStep);

        Console.WriteLine($"{title}, {Window}-step window, {Frames} RDF frames, one thread (list builds so far {field.ListBuilds}):");
        if (ProcessorTime.CoarsenessWarning(TimeSpan.FromSeconds(step)) is { } warning) Console.WriteLine(warning);
        Console.WriteLine($"  forward window (MD + observables)  {forward * 1e3,8:F2} ms");
        Console.WriteLine($"  gradient window (fwd + reverse)    {window * 1e3,8:F2} ms   ratio to forward {window / forward:F2}");
        Console.WriteLine($"  training step (window + Adam)      {step * 1e3,8:F2} ms   mean of {10 * repeat}: {meanStep * 1e3:F2} ms");
        Console.WriteLine($"  parts alone: MD {md * 1e3:F2} ms (force field {force * 1e3:F2} ms for {Window} evaluations at one state), " +
            $"RDF frames {rdfForward * 1e3:F2} ms (their pair searches {rdfSearch * 1e3:F2} ms), their backward {rdfReverse * 1e3:F2} ms, {Window} reverse pair passes {pairAdjoint * 1e3:F2} ms, " +
            $"setting the parameters and finishing their gradient (once a window) {potential * 1e3:F2} ms, " +
            $"one build of the reverse pass's half list (r_c + {HalfPairList.ReversePassSkin}) {build * 1e6:F0} µs, {frameBuild * 1e6:F0} µs from an RDF frame's pairs");
        Console.WriteLine($"  training step less the forward MD: {(step - md) * 1e3:F2} ms");
        Console.WriteLine($"  pressure and energy at one state (after the RDF's frames there): {Frames} frames {thermoForward * 1e3:F3} ms, their backward {thermoReverse * 1e3:F3} ms");
        if (field is DifferentiablePairField<LennardJones> pairField)
        {
            var builds = pairField.ReverseListBuilds;
            gradientWindow();
            Console.WriteLine($"  reverse-pass half-list builds in one gradient window: {pairField.ReverseListBuilds - builds}");
        }
        if (args.Contains("--distribution")) PrintDistribution(trainingStep, 2000);
        return 0;
    }

    /// <summary>
    /// Wall-clock percentiles of <paramref name="count"/> training steps in a row, each timed alone: the processor clock
    /// is too coarse for one step. Their spread shows how much of the best-to-mean gap is the machine's.
    /// </summary>
    private static void PrintDistribution(Action trainingStep, int count)
    {
        var times = new double[count];
        for (var k = 0; k < count; k++)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            trainingStep();
            times[k] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        double At(double q) => times[(int)(q * (count - 1))];
        Console.WriteLine($"  training step, wall clock, {count} steps: minimum {times[0]:F2} ms, 10 % {At(0.1):F2}, median {At(0.5):F2}, 90 % {At(0.9):F2}, maximum {times[^1]:F2} ms");
    }

    private static (State, IDifferentiableForceField, IIntegrator, SmearedRdf, string) LennardJonesSystem(Precision precision, int cells, double density, KernelPath path)
    {
        var state = Fcc(density, 1.2, cells);
        var table = PairTable<LennardJones>.Single(new LennardJones(1, 1), 2.5, shift: false);
        var field = new DifferentiablePairField<LennardJones>(new PairForceField<LennardJones>(table, 0.3, precision, path), ["A"]);
        return (state, field, new NoseHooverChain(0.005, 1.2, 0.25, 3), new SmearedRdf(1, 100, 0.75, 3.3, 0.0258), $"{state.Count}-atom LJ (rho {density}, T 1.2)");
    }

    private static (State, IDifferentiableForceField, IIntegrator, SmearedRdf, string) NeuralSystem(Precision precision, KernelPath path)
    {
        var state = Fcc(0.5, 0.7, 4);
        var options = new NeuralPairOptions
        {
            Cutoff = 2.5,
            Network = new PairNetworkShape { Gaussians = 32, Width = 32, Depth = 2, Activation = Activation.Silu },
            Prior = new RepulsivePrior(1.0, 1.0, 12),
            Seed = 1,
        };
        var field = new NeuralPairField(["A"], options, 0.3, precision, path);
        var lj = new LennardJones(1, 1);
        field.Prefit(field.InitialParameters(), (_, _, r) => lj.Energy(r), maxEnergy: 3.5, steps: 300);
        var title = $"256-atom NN pair potential ({field.ParameterCount} weights, {field.Knots.Length} knots; rho 0.5, T 0.7)";
        return (state, field, new NoseHooverChain(0.005, 0.7, 0.5, 3), new SmearedRdf(1, 150, 0, 3.0, 0.02), title);
    }

    private static State Fcc(double density, double temperature, int cells)
    {
        var a = Lattice.CellEdge(LatticeKind.Fcc, density);
        var (x, y, z) = Lattice.Sites(LatticeKind.Fcc, cells, cells, cells, a);
        var state = new State(Box.Cubic(cells * a), [ParticleType.Default], new int[x.Length], UnitSystem.Lj);
        x.CopyTo(state.X); y.CopyTo(state.Y); z.CopyTo(state.Z);
        Velocities.Initialise(state, temperature, 1);
        return state;
    }
}
