using System.Diagnostics;
using System.Globalization;
using DiffSim.Forces;
using DiffSim.Integrators;

namespace DiffSim.Bench;

/// <summary>
/// The in.lj macro benchmark: DiffSim and LAMMPS (lj/cut and lj/cut/opt, serial) on the same problem in the same
/// run, reported as atom-steps per second and as ratios, since the machine is shared and only same-run ratios mean much.
/// Then 2-thread scaling, the cost per atom-step from 4k to 256k atoms, and memory per atom.
/// </summary>
/// <remarks>
/// Usage: <c>macro [--steps N] [--cells C] [--repeat R] [--prune B] [--path P] [--no-lammps] [--no-scaling] [--cpu]</c>. Each timing is the best of R
/// runs, taken in turns (round by round: DiffSim float and double, LAMMPS lj/cut and lj/cut/opt); DiffSim's time is that of <see cref="Simulation.Run"/> (the step-0 force evaluation is set-up, as in
/// LAMMPS' "Loop time"). <c>--cpu</c> times both in processor time, for a loaded machine: DiffSim's process time,
/// LAMMPS' loop time times its reported CPU use; the 2-thread runs are then left out (processor time sums the threads).
/// </remarks>
internal static class Macro
{
    public static int Run(string[] args)
    {
        var steps = Option(args, "--steps", 1000);
        var cells = Option(args, "--cells", 20);
        var repeat = Option(args, "--repeat", 1);
        var lammps = !args.Contains("--no-lammps");
        var scaling = !args.Contains("--no-scaling");
        ProcessorTimed = args.Contains("--cpu");
        Kernel = KernelPaths.Resolve(PathOption.Parse(args));
        var prune = Array.IndexOf(args, "--prune");
        if (prune >= 0) InLj.PruneBuffer = double.Parse(args[prune + 1], CultureInfo.InvariantCulture);
        var atoms = 4 * cells * cells * cells;
        Console.WriteLine($"in.lj: {atoms} atoms, {steps} NVE steps, dt {InLj.TimeStep}, rc {InLj.Cutoff}, skin {InLj.Skin}, prune buffer {InLj.PruneBuffer}; best of {repeat}");
        Console.WriteLine($"DiffSim kernel path: {Kernel}{(KernelPaths.IsEmulated(Kernel) ? " (emulated)" : "")}; {Environment.ProcessorCount} logical processors");

        Warm();
        // The one-core runs take turns, round by round, and each keeps its best: the machine's speed drifts over
        // minutes, and a run that always came first or last would meet another phase of it than its peers.
        var runs = new List<(string Name, Func<double> Measure)>();
        var lists = new Dictionary<Precision, (int Builds, int Prunes)>();
        foreach (var precision in new[] { Precision.Float, Precision.Double })
            runs.Add(($"DiffSim {precision.ToString().ToLowerInvariant()} 1 thread", () => DiffSimRate(cells, steps, precision, 1, out _, (b, p) => lists[precision] = (b, p))));
        if (lammps)
            foreach (var style in new[] { "lj/cut", "lj/cut/opt" })
                runs.Add(($"LAMMPS {style} 1 core", () => LammpsRate(cells, steps, style)));
        var best = new double[runs.Count];
        for (var round = 0; round < repeat; round++)
        {
            for (var k = 0; k < runs.Count; k++) best[k] = Math.Max(best[k], runs[k].Measure());
            if (repeat > 1) Console.WriteLine($"round {round + 1} of {repeat} done");
        }
        var rows = runs.Select((run, k) => (run.Name, Rate: best[k])).ToList();
        for (var k = 0; k < rows.Count; k++)
        {
            Print(rows[k]);
            if (k < 2)
            {
                var (builds, prunes) = lists[k == 0 ? Precision.Float : Precision.Double];
                Console.WriteLine($"{"",-28} {builds} list builds, {prunes} prunes in {steps} steps");
            }
        }
        if (lammps)
        {
            var opt = rows[^1].Rate;
            var plain = rows[^2].Rate;
            Console.WriteLine();
            Console.WriteLine($"{"ratio",-28} {"vs lj/cut",10} {"vs lj/cut/opt",14}");
            foreach (var (name, rate) in rows.Take(2))
                Console.WriteLine($"{name,-28} {rate / plain,10:F2} {rate / opt,14:F2}");
        }

        if (ProcessorTimed) return 0;
        Console.WriteLine();
        Console.WriteLine("2-thread scaling (same run):");
        for (var p = 0; p < 2; p++)
        {
            var precision = p == 0 ? Precision.Float : Precision.Double;
            var two = Best(repeat, () => DiffSimRate(cells, steps, precision, 2, out _));
            Print(($"DiffSim {precision.ToString().ToLowerInvariant()} 2 threads", two));
            Console.WriteLine($"{"",-28} speed-up {two / rows[p].Rate:F2}");
        }

        if (scaling)
        {
            Console.WriteLine();
            Console.WriteLine("size scaling, float, 1 thread, 200 steps (ns per atom-step should stay flat):");
            Console.WriteLine($"{"atoms",10} {"atom-steps/s",14} {"ns/atom-step",13} {"bytes/atom",11} {"state B/atom",13} {"forces B/atom",14}");
            foreach (var c in new[] { 10, 16, 20, 25, 32, 40 })
            {
                var rate = DiffSimRate(c, 200, Precision.Float, 1, out var memory);
                var n = 4.0 * c * c * c;
                Console.WriteLine($"{n,10:F0} {rate,14:G4} {1e9 / rate,13:F1} {memory.Total / n,11:F0} {memory.State / n,13:F0} {memory.Forces / n,14:F0}");
            }
        }
        return 0;
    }

    /// <summary>Bytes of the engine objects of one run: all that the GC saw allocated while building and running it, and the parts that the engine reports.</summary>
    private readonly record struct Memory(long Total, long State, long Forces, int Builds);

    /// <summary>The thermo interval of bench/peers/lammps-inlj.sh.</summary>
    private const int LammpsThermoEvery = 100;

    private static double DiffSimRate(int cells, int steps, Precision precision, int threads, out Memory memory, Action<int, int>? lists = null)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var state = InLj.Crystal(cells);
        var forces = InLj.ForceField(precision, Kernel, threads);
        var sim = new Simulation(state, forces, new VelocityVerlet(InLj.TimeStep));
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        // Energy and virial on the steps where the LAMMPS input prints thermo output (thermo 100), as LAMMPS computes them.
        for (var s = 1; s <= steps; s++) sim.Step(energy: s % LammpsThermoEvery == 0);
        watch.Stop();
        process.Refresh();
        var seconds = ProcessorTimed ? (process.TotalProcessorTime - cpu0).TotalSeconds : watch.Elapsed.TotalSeconds;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        memory = new Memory(after - before, state.Bytes, forces.Bytes, forces.ListBuilds);
        lists?.Invoke(forces.ListBuilds, forces.Prunes);
        GC.KeepAlive(sim);
        return (double)state.Count * steps / seconds;
    }

    /// <summary>Brings the kernels of both precisions to their optimised JIT tier before anything is timed.</summary>
    private static void Warm()
    {
        foreach (var precision in new[] { Precision.Float, Precision.Double })
            foreach (var threads in new[] { 1, 2 })
                DiffSimRate(6, 200, precision, threads, out _);
    }

    /// <summary>Runs the LAMMPS peer script, which prints one line ending in atom_steps_per_s=…</summary>
    private static double LammpsRate(int cells, int steps, string style)
    {
        var script = PeerScript();
        var info = new ProcessStartInfo("bash", [script, steps.ToString(CultureInfo.InvariantCulture), style, cells.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {error}");
        var rate = Field(output, "atom_steps_per_s=");
        return ProcessorTimed ? rate * 100 / Field(output, "cpu_percent=") : rate;
    }

    private static double Field(string output, string name)
    {
        var field = output.Split(' ', '\n').Single(f => f.StartsWith(name, StringComparison.Ordinal));
        return double.Parse(field[name.Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>Whether rates are per second of processor time (<c>--cpu</c>) instead of wall time.</summary>
    private static bool ProcessorTimed;

    /// <summary>DiffSim's pair kernel path (<c>--path</c>), resolved.</summary>
    private static KernelPath Kernel;

    /// <summary>The LAMMPS peer runner, bench/peers/lammps-inlj.sh, found above the benchmark's binaries.</summary>
    private static string PeerScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "bench", "peers", "lammps-inlj.sh");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("bench/peers/lammps-inlj.sh not found above " + AppContext.BaseDirectory);
    }

    private static double Best(int repeat, Func<double> measure)
    {
        var best = 0.0;
        for (var k = 0; k < repeat; k++) best = Math.Max(best, measure());
        return best;
    }

    private static void Print((string Name, double Rate) row) => Console.WriteLine($"{row.Name,-28} {row.Rate,12:G4} atom-steps/s");

    private static int Option(string[] args, string name, int fallback)
    {
        var k = Array.IndexOf(args, name);
        return k >= 0 && k + 1 < args.Length ? int.Parse(args[k + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
