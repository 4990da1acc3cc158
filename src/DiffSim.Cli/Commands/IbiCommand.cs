using System.CommandLine;
using System.Globalization;
using DiffSim.Cli.Config;
using DiffSim.Cli.Running;

namespace DiffSim.Cli.Commands;

/// <summary>What <c>diffsim ibi</c> was asked to do.</summary>
public sealed record IbiRequest(string? ConfigPath, string? OutputDirectory = null);

/// <summary><c>diffsim ibi CONFIG.toml</c>: the iterative Boltzmann inversion baseline on a fit config.</summary>
public static class IbiCommand
{
    public const string Description = """
        Iterative Boltzmann inversion (Reith, Pütz and Müller-Plathe, J. Comput. Chem. 24, 1624 (2003)): the
        structure-matching baseline to compare with `diffsim fit`, on the same engine, systems and targets.

        Reads a fit config ([potential] gives only the pairs and cutoffs; [model] and [train] are ignored) plus [ibi]:
        iterations (20), steps_per_iteration (2000), equilibrate (200, per iteration), initial_equilibrate (1000),
        sample_every (10), damping (0.3), threshold (0.02), smoothing (2), taper (0.1), grid_spacing ([rdf] bin
        width), pressure_correction (false) with [ibi.pressure] "<state>" = P, pressure_scale, threads.
        Starts from u₀ = −kT ln g, then u ← u + α kT ln(g/g_target), weighted over [[state]] points.

        Writes ibi.csv (iteration, RMS error of g and pressure per state, the largest |Δu| of the update that followed,
        seconds), potential.csv, potential.table (LAMMPS pair_style table), rdf_<state>.csv and .png, rms.png,
        potential.png, summary.json.

        Exit codes: 0 done, 2 bad config, 3 the simulation diverged (files so far are kept), 1 other failure.
        """;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Argument<string>("CONFIG") { Description = "TOML config: a fit config with an optional [ibi] table" };
        var output = new Option<string?>("--output", "-o") { Description = "Output folder, overriding [output].dir (relative to the current folder)" };
        var command = new Command("ibi", Description) { config, output };
        command.SetAction(parse => Execute(new IbiRequest(parse.GetValue(config), parse.GetValue(output)), stdout, stderr));
        return command;
    }

    public static int Execute(IbiRequest request, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (request.ConfigPath is null) throw new ConfigException("", "give the config: diffsim ibi CONFIG.toml (a fit config, e.g. from `diffsim fit --example`, with an optional [ibi] table)");
            var config = IbiConfig.Load(request.ConfigPath);
            if (request.OutputDirectory is not null)
                config = config with { Fit = config.Fit with { Output = config.Fit.Output with { Directory = OutputOption.Resolve(request.OutputDirectory) } } };
            var runner = new IbiRunner(config, stdout);
            var ibi = runner.Build();
            WriteHeader(stdout, config, ibi);
            var result = runner.Run(ibi);
            stdout.WriteLine($"wrote ibi.csv, potential.csv, potential.table, rdf_*.csv/png, rms.png, potential.png, summary.json to {result.Directory}");
            return ExitCodes.Ok;
        }
        catch (ConfigException e) { return Fail(stderr, e.Message, ExitCodes.BadConfig); }
        catch (ArgumentException e) { return Fail(stderr, e.Message, ExitCodes.BadConfig); }
        catch (FileNotFoundException e) { return Fail(stderr, e.Message, ExitCodes.BadConfig); }
        catch (SimulationDivergedException e) { return Fail(stderr, e.Message, ExitCodes.Diverged); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(stderr, $"cannot write the outputs: {e.Message}", ExitCodes.Failure); }
    }

    private static void WriteHeader(TextWriter o, IbiConfig config, DiffSim.Training.IterativeBoltzmannInversion ibi)
    {
        var inv = CultureInfo.InvariantCulture;
        var opt = ibi.Options;
        o.WriteLine($"diffsim ibi: {config.Fit.Source.Name}");
        foreach (var s in ibi.States)
            o.WriteLine(string.Create(inv, $"  state {s.Name}: {s.State.Count} atoms, T {s.Temperature:G5}, density {s.State.Count / s.State.Box.Volume:G5}, weight {s.Weight:G3}{(s.TargetPressure is { } p ? $", target P {p:G5}" : "")}"));
        o.WriteLine(string.Create(inv, $"  ibi        {opt.Iterations} iterations, damping {opt.Damping:G3}, grid {opt.GridSpacing:G4} to r = {opt.RdfMax:G4}, error over [{opt.ErrorRMin:G3}, {opt.ErrorRMax:G3}]{(opt.PressureCorrection ? ", pressure correction" : "")}"));
        o.WriteLine($"  output     {config.Fit.Output.Directory}");
        o.Flush();
    }

    private static int Fail(TextWriter stderr, string message, int code)
    {
        stderr.WriteLine($"error: {string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}");
        stderr.Flush();
        return code;
    }
}
