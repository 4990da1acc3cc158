using System.CommandLine;
using System.Globalization;
using DiffSim.Cli.Building;
using DiffSim.Cli.Config;
using DiffSim.Cli.Running;
using DiffSim.Training;

namespace DiffSim.Cli.Commands;

/// <summary>What <c>diffsim fit</c> was asked to do.</summary>
public sealed record FitRequest(string? ConfigPath, string? OutputDirectory = null, bool PrintExample = false, bool Resume = false);

/// <summary><c>diffsim fit CONFIG.toml</c>: config → <see cref="FitBuilder"/> → <see cref="FitRunner"/> → files.</summary>
public static class FitCommand
{
    public const string Description = """
        Fit a pair potential to target radial distribution functions by differentiating through MD windows
        (Wang et al., J. Chem. Phys. 158, 044113 (2023)): one potential, one or more [[state]] points.

        With no CONFIG, runs the built-in example: recover Lennard-Jones ε and σ (started 30 % and 10 % off) from an
        RDF computed by LAMMPS at ρ = 0.3, T = 1.2. It copies fit.toml and its target into ./diffsim-out/fit and writes
        the results there.

        Writes train.csv (epoch, loss per state, total, gradient norm, learning rate, parameters), potential.csv
        (r, u, f = −du/dr), potential.table (LAMMPS pair_style table), rdf_<state>.csv and .png (fitted vs target),
        potential.png, loss.png, summary.json, and checkpoint.json after every epoch (continue with --resume, with the
        same config: only [train] epochs, threads, evaluate_steps and [output] dir may change). For kind =
        "nn-temperature", potential_<state>.csv and .table as well: u(r; T) at each state's temperature.
        Units as in `diffsim simulate --help`.

        Exit codes: 0 done, 2 bad config, 3 the simulation or the training diverged (files so far are kept), 130
        interrupted (Ctrl-C stops after the current epoch; continue with --resume), 1 other failure.
        """;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Argument<string?>("CONFIG") { Description = "TOML fit config (omit for the built-in example)", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--output", "-o") { Description = "Output folder, overriding [output].dir (relative to the current folder)" };
        var example = new Option<bool>("--example") { Description = "Print the built-in example config and exit" };
        var resume = new Option<bool>("--resume") { Description = "Continue from checkpoint.json in the output folder" };
        var command = new Command("fit", Description) { config, output, example, resume };
        command.SetAction(parse => Execute(new FitRequest(parse.GetValue(config), parse.GetValue(output), parse.GetValue(example), parse.GetValue(resume)), stdout, stderr));
        return command;
    }

    public static int Execute(FitRequest request, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (request.PrintExample)
            {
                stdout.Write(Examples.Read(Examples.Fit));
                return ExitCodes.Ok;
            }
            var config = Load(request, stdout);
            var fit = FitBuilder.Build(config);
            WriteHeader(stdout, config, fit);
            // Ctrl-C stops training after the current epoch (its checkpoint written) instead of killing the process.
            using var interrupt = new CancellationTokenSource();
            ConsoleCancelEventHandler stop = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
            Console.CancelKeyPress += stop;
            FitResult result;
            try { result = new FitRunner(config, fit, stdout).Run(request.Resume, interrupt.Token); }
            finally { Console.CancelKeyPress -= stop; }
            if (result.Interrupted)
                return Fail(stderr, File.Exists(Path.Combine(result.Directory, FitRunner.CheckpointFile))
                    ? $"interrupted after epoch {fit.Trainer.Epoch}; train.csv and checkpoint.json are in {result.Directory}: continue with the same command and --resume"
                    : "interrupted before the first epoch ended: nothing to resume, run the command again", ExitCodes.Interrupted);
            stdout.WriteLine($"wrote train.csv, potential.csv, potential.table, rdf_*.csv/png, potential.png, loss.png, summary.json to {result.Directory}");
            return ExitCodes.Ok;
        }
        catch (ConfigException e) { return Fail(stderr, e.Message, ExitCodes.BadConfig); }
        catch (ArgumentException e) { return Fail(stderr, e.Message, ExitCodes.BadConfig); }
        catch (FileNotFoundException e) { return Fail(stderr, e.Message, ExitCodes.BadConfig); }
        catch (SimulationDivergedException e) { return Fail(stderr, e.Message, ExitCodes.Diverged); }
        catch (TrainingDivergedException e) { return Fail(stderr, e.Message, ExitCodes.Diverged); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(stderr, $"cannot write the outputs: {e.Message}", ExitCodes.Failure); }
    }

    private static FitConfig Load(FitRequest request, TextWriter stdout)
    {
        FitConfig config;
        if (request.ConfigPath is null)
        {
            var dir = request.OutputDirectory is { } o ? OutputOption.Resolve(o) : Path.GetFullPath(Examples.FitOutput);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, Examples.Fit), Examples.Read(Examples.Fit));
            File.WriteAllText(Path.Combine(dir, Examples.FitTarget), Examples.Read(Examples.FitTarget));
            stdout.WriteLine($"No config given: running the built-in example; its config and target are in {dir}.");
            config = FitConfig.Load(Path.Combine(dir, Examples.Fit));
        }
        else
        {
            config = FitConfig.Load(request.ConfigPath);
        }
        if (request.OutputDirectory is not null)
            config = config with { Output = config.Output with { Directory = OutputOption.Resolve(request.OutputDirectory) } };
        return config;
    }

    private static void WriteHeader(TextWriter o, FitConfig config, BuiltFit fit)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = config.Train.Options;
        o.WriteLine($"diffsim fit: {config.Source.Name}");
        foreach (var s in fit.States)
        {
            var st = s.Point.State;
            o.WriteLine(string.Create(inv, $"  state {s.Config.Name}: {st.Count} atoms, T {s.Config.Temperature:G5}, density {st.Count / st.Box.Volume:G5}, weight {s.Config.Weight:G3}, target {s.Config.Target}"));
        }
        var few = fit.ParameterNames.Count <= 8;
        var what = few ? string.Join(", ", fit.ParameterNames.Where((_, k) => fit.Trainer.Free[k])) : $"{fit.Trainer.Free.Count(f => f)} network parameters";
        o.WriteLine(string.Create(inv, $"  training   {what}: {t.Epochs} epochs of {t.WindowSteps}-step windows, frames every {t.SampleEvery} steps, Adam lr {t.LearningRate:G3}"));
        if (few) o.WriteLine(string.Create(inv, $"  initial    {string.Join(" ", fit.ParameterNames.Select((n, k) => $"{n}={fit.InitialParameters[k]:G5}"))}"));
        o.WriteLine($"  output     {config.Output.Directory}");
        o.Flush();
    }

    private static int Fail(TextWriter stderr, string message, int code)
    {
        stderr.WriteLine($"error: {string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}");
        stderr.Flush();
        return code;
    }
}
