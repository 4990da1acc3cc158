using System.CommandLine;
using System.Globalization;
using DiffSim.Cli.Building;
using DiffSim.Cli.Config;
using DiffSim.Cli.Running;
using DiffSim.Forces;
using Spectre.Console;

namespace DiffSim.Cli.Commands;

/// <summary>What <c>diffsim simulate</c> was asked to do.</summary>
/// <param name="ConfigPath">The TOML config; null runs the built-in example.</param>
/// <param name="OutputDirectory">Overrides [output].dir (relative to the current folder).</param>
/// <param name="PrintExample">Print the built-in example config and exit.</param>
public sealed record SimulateRequest(string? ConfigPath, string? OutputDirectory = null, bool PrintExample = false);

/// <summary>
/// <c>diffsim simulate CONFIG.toml</c>: config → <see cref="ModelBuilder"/> → <see cref="SimulationRunner"/> → files.
/// <see cref="Execute"/> is the in-process entry point (tests call it); the command only parses arguments.
/// </summary>
public static class SimulateCommand
{
    public const string Description = """
        Run molecular dynamics from a TOML config and write thermo.csv, rdf.csv, summary.json and an optional trajectory.

        With no CONFIG, runs the built-in example (a 500-atom Lennard-Jones liquid) and writes to ./diffsim-out/simulate;
        `diffsim simulate --example > my.toml` prints that config to start from.

        Units (units = "lj" or "real", as LAMMPS defines them):
          lj    reduced: length σ, energy ε, mass m, time τ = σ√(m/ε), temperature ε/k_B, pressure ε/σ³
          real  length Å, energy kcal/mol, mass g/mol, time fs, temperature K, pressure atm
        Energies in thermo.csv and summary.json are per particle. Relative paths in the config (table files,
        [output].dir) resolve against the config file's folder.

        Exit codes: 0 done, 2 bad config (the message names the key), 3 the run diverged (files so far are kept), 130
        interrupted (Ctrl-C stops after the current step and writes what was done), 1 other failure.
        """;

    public static Command Create(TextWriter stdout, TextWriter stderr, IAnsiConsole? terminal)
    {
        var config = new Argument<string?>("CONFIG")
        {
            Description = "TOML config file (omit to run the built-in example)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Output folder, overriding [output].dir (relative to the current folder)" };
        var example = new Option<bool>("--example") { Description = "Print the built-in example config and exit" };
        var command = new Command("simulate", Description) { config, output, example };
        command.SetAction(parse => Execute(
            new SimulateRequest(parse.GetValue(config), parse.GetValue(output), parse.GetValue(example)), stdout, stderr, terminal));
        return command;
    }

    /// <summary>Runs the command and returns its exit code (<see cref="ExitCodes"/>); errors go to <paramref name="stderr"/> as one line "error: ...".</summary>
    /// <param name="terminal">A terminal for progress bars; null for plain progress lines on <paramref name="stdout"/>.</param>
    public static int Execute(SimulateRequest request, TextWriter stdout, TextWriter stderr, IAnsiConsole? terminal = null)
    {
        try
        {
            if (request.PrintExample)
            {
                stdout.Write(Examples.Read(Examples.Simulate));
                return ExitCodes.Ok;
            }
            return Simulate(request, stdout, stderr, terminal);
        }
        catch (ConfigException e) { return Fail(stderr, e.Message, ExitCodes.BadConfig); }
        catch (ArgumentException e) { return Fail(stderr, e.Message, ExitCodes.BadConfig); }
        catch (SimulationDivergedException e) { return Fail(stderr, e.Message, ExitCodes.Diverged); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(stderr, $"cannot write the outputs: {e.Message}", ExitCodes.Failure); }
    }

    private static int Simulate(SimulateRequest request, TextWriter stdout, TextWriter stderr, IAnsiConsole? terminal)
    {
        SimulateConfig config;
        if (request.ConfigPath is null)
        {
            var source = new ConfigSource($"built-in example {Examples.Simulate}", Directory.GetCurrentDirectory());
            config = SimulateConfig.Parse(Examples.Read(Examples.Simulate), source);
            stdout.WriteLine($"No config given: running the built-in example {Examples.Simulate} (print it with `diffsim simulate --example`).");
        }
        else
        {
            config = SimulateConfig.Load(request.ConfigPath);
        }
        if (request.OutputDirectory is not null)
            config = config with { Output = config.Output with { Directory = OutputOption.Resolve(request.OutputDirectory) } };

        var run = config.Run;
        var potential = config.Model.Potential;
        var options = new ForceFieldOptions
        {
            Skin = potential.Skin,
            Shift = potential.Shift,
            Precision = run.Precision,
            Path = run.Kernel,
            Threads = run.ResolvedThreads,
        };
        var model = ModelBuilder.Build(config.Model, options, run.VelocitySeed ?? config.Model.System.Seed);
        WriteHeader(stdout, config, model);

        var runner = new SimulationRunner(config, model, config.Output.Directory);
        // Ctrl-C stops the run after its current step and writes what it has, instead of killing the process mid-way.
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler stop = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += stop;
        RunResult result;
        try
        {
            result = terminal is null
                ? runner.Run(new PlainProgress(stdout, model.State.Count), interrupt.Token)
                : SpectreProgress.Run(terminal, progress => runner.Run(progress, interrupt.Token));
        }
        finally { Console.CancelKeyPress -= stop; }

        WriteFooter(stdout, result);
        if (result.Diverged is { } diverged)
            return Fail(stderr, $"{diverged.Message} (thermo.csv and summary.json up to step {diverged.Step} are in {result.Outputs.Directory})", ExitCodes.Diverged);
        if (result.Interrupted)
            return Fail(stderr, $"interrupted after {result.Summary.StepsCompleted} steps; thermo.csv, the averages so far (summary.json, status \"interrupted\") and the RDF of the frames so far are in {result.Outputs.Directory}", ExitCodes.Interrupted);
        return ExitCodes.Ok;
    }

    private static void WriteHeader(TextWriter o, SimulateConfig config, BuiltModel model)
    {
        var s = model.State;
        var u = s.Units;
        var m = config.Model;
        var inv = CultureInfo.InvariantCulture;
        var types = string.Join(", ", s.Types.Select((t, k) => $"{s.CountOfType(k)} {t.Name}"));
        o.WriteLine(string.Create(inv, $"diffsim simulate: {config.Source.Name}"));
        o.WriteLine(string.Create(inv, $"  system     {s.Count} atoms ({types}), {m.System.Lattice.ToString().ToLowerInvariant()} start, box {s.Box.Lx:G5} × {s.Box.Ly:G5} × {s.Box.Lz:G5} {u.LengthUnit}, density {s.Count / s.Box.Volume:G5}"));
        o.WriteLine(string.Create(inv, $"  units      {u.Name}: length {u.LengthUnit}, energy {u.EnergyUnit}, time {u.TimeUnit}, temperature {IO.UnitLabels.Temperature(u)}, pressure {u.PressureUnit}"));
        o.WriteLine(string.Create(inv, $"  potential  {m.Potential.Kind}, cutoff {model.Forces.MaxCutoff:G5}{(m.Potential.Shift ? " shifted" : "")}, skin {m.Potential.Skin:G3}"));
        o.WriteLine(string.Create(inv, $"  integrator {IntegratorConfig.KindName(m.Integrator.Kind)}, dt {m.Integrator.TimeStep:G4} {u.TimeUnit}{(m.Integrator.Temperature is { } t ? $", T {t:G5}" : "")}"));
        o.WriteLine(string.Create(inv, $"  run        {config.Run.Equilibrate} equilibration + {config.Run.Steps} production steps, {model.Options.Threads} thread(s), {model.Options.Precision.ToString().ToLowerInvariant()} precision, {model.KernelPath.ToString().ToLowerInvariant()} kernel{(KernelPaths.IsEmulated(model.KernelPath) ? " (emulated: this processor has no AVX-512, so it runs slower than vector256)" : "")}"));
        o.WriteLine(string.Create(inv, $"  output     {config.Output.Directory}"));
        o.Flush();
    }

    private static void WriteFooter(TextWriter o, RunResult result)
    {
        var s = result.Summary;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"{s.StepsCompleted} steps in {s.WallSeconds:F2} s: {s.AtomStepsPerSecond:E3} atom-steps/s, {s.ListBuilds} neighbour-list builds"));
        if (s.Averages.Count > 0 && s.Averages[0].Samples > 0)
        {
            o.WriteLine(string.Create(inv, $"production averages ({s.Averages[0].Samples} samples, ± block-averaged standard error):"));
            foreach (var a in s.Averages)
                o.WriteLine(string.Create(inv, $"  {a.Name,-12} {a.Mean,12:G6} ± {a.StandardError:G2} {a.Unit}"));
        }
        var files = new[] { result.Outputs.Thermo, result.Outputs.Rdf, result.Outputs.Summary, result.Outputs.Trajectory }
            .Where(f => f is not null).Select(f => Path.GetFileName(f!));
        o.WriteLine($"wrote {string.Join(", ", files)} to {result.Outputs.Directory}");
        o.Flush();
    }

    private static int Fail(TextWriter stderr, string message, int code)
    {
        stderr.WriteLine($"error: {OneLine(message)}");
        stderr.Flush();
        return code;
    }

    private static string OneLine(string message)
        => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
