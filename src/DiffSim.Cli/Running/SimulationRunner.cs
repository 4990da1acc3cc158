using System.Diagnostics;
using DiffSim.Cli.Building;
using DiffSim.Cli.Config;
using DiffSim.IO;
using DiffSim.Observables;

namespace DiffSim.Cli.Running;

/// <summary>The files a run wrote.</summary>
public sealed record RunOutputs(string Directory, string Thermo, string? Rdf, string Summary, string? Trajectory);

/// <summary>The outcome of a run: its summary and files; <see cref="Diverged"/> is set when the run stopped on a non-finite energy.</summary>
public sealed record RunResult(RunSummary Summary, RunOutputs Outputs, SimulationDivergedException? Diverged, bool Interrupted = false);

/// <summary>
/// Runs a built model as the config says: equilibration (not averaged), then production with thermo rows, RDF
/// frames and trajectory frames, then the averages. Output files are written as the run goes (thermo.csv row by
/// row), so a run that diverges leaves what it had; the summary then says where it stopped.
/// </summary>
public sealed class SimulationRunner(SimulateConfig config, BuiltModel model, string outputDirectory)
{
    public const string ThermoFile = "thermo.csv";
    public const string RdfFile = "rdf.csv";
    public const string SummaryFile = "summary.json";

    /// <param name="cancel">Stops the run after the current step (Ctrl-C): the averages, rdf.csv and summary.json of the
    /// steps done are written, the summary's status "interrupted".</param>
    public RunResult Run(IRunProgress progress, CancellationToken cancel = default)
    {
        var run = config.Run;
        var state = model.State;
        var units = state.Units;
        Directory.CreateDirectory(outputDirectory);
        EarlierOutputs.Remove(outputDirectory, [RdfFile, SummaryFile]);
        var outputs = new RunOutputs(
            outputDirectory,
            Path.Combine(outputDirectory, ThermoFile),
            config.Rdf.Every > 0 && run.Steps > 0 ? Path.Combine(outputDirectory, RdfFile) : null,
            Path.Combine(outputDirectory, SummaryFile),
            config.Output.Trajectory switch
            {
                TrajectoryFormat.Lammps => Path.Combine(outputDirectory, "trajectory.lammpstrj"),
                TrajectoryFormat.Xyz => Path.Combine(outputDirectory, "trajectory.xyz"),
                _ => null,
            });

        var rdfMax = config.Rdf.RMax ?? 0.5 * state.Box.MinEdge;
        if (2 * rdfMax > state.Box.MinEdge)
            throw new ConfigException("[rdf].rmax", $"[rdf].rmax: {rdfMax:G6} is more than half the shortest box edge ({state.Box.MinEdge:G6}); use rmax ≤ {0.5 * state.Box.MinEdge:G6} or a larger system");
        var histogram = new PairHistogram(config.Rdf.Bins, rdfMax, state.Types.Count);
        var averages = ThermoSample.Columns.Select(_ => new BlockAverage()).ToArray();

        using var thermo = new ThermoCsvWriter(outputs.Thermo, units);
        using var trajectory = outputs.Trajectory is null ? null
            : config.Output.Trajectory == TrajectoryFormat.Lammps ? new LammpsDumpWriter(outputs.Trajectory) : (ITrajectoryWriter)new ExtendedXyzWriter(outputs.Trajectory);

        var clock = Stopwatch.StartNew();
        long done = 0;
        SimulationDivergedException? diverged = null;
        try
        {
            var sim = new Simulation(state, model.Forces, model.Integrator);
            var sample = sim.Thermo();
            thermo.Write(sample);
            var total = run.Equilibrate + run.Steps;
            var reportEvery = Math.Max(1, Math.Min(run.ThermoEvery, total / 200));
            foreach (var (phase, steps) in new[] { ("equilibrate", run.Equilibrate), ("production", run.Steps) })
            {
                if (steps == 0 && phase == "equilibrate") continue;
                var production = phase == "production";
                progress.BeginPhase(phase, steps);
                for (long k = 1; k <= steps && !cancel.IsCancellationRequested; k++)
                {
                    // The energy only on the steps that write thermo output: the others compute forces alone.
                    sim.Step(energy: (state.Step + 1) % run.ThermoEvery == 0 || done + 1 == total);
                    done++;
                    var step = state.Step;
                    if (step % run.ThermoEvery == 0 || done == total)
                    {
                        sample = sim.Thermo();
                        thermo.Write(sample);
                        if (production)
                        {
                            var values = sample.Values;
                            for (var c = 0; c < averages.Length; c++) averages[c].Add(values[c]);
                        }
                    }
                    if (production && outputs.Rdf is not null && k % config.Rdf.Every == 0) histogram.Accumulate(state);
                    if (production && trajectory is not null && step % config.Output.TrajectoryEvery == 0) trajectory.WriteFrame(state);
                    if (k % reportEvery == 0 || k == steps) progress.Report(k, sample);
                }
                progress.EndPhase();
            }
        }
        catch (SimulationDivergedException e)
        {
            diverged = e;
        }
        clock.Stop();

        if (outputs.Rdf is not null && histogram.Frames > 0) RdfCsvWriter.Write(outputs.Rdf, histogram, state);
        var interrupted = diverged is null && cancel.IsCancellationRequested;
        var summary = Summarise(averages, done, clock.Elapsed.TotalSeconds, diverged, outputs with { Rdf = histogram.Frames > 0 ? outputs.Rdf : null }) with
        {
            Status = diverged is not null ? "diverged" : interrupted ? "interrupted" : "completed",
        };
        SummaryJsonWriter.Write(outputs.Summary, summary);
        return new RunResult(summary, outputs with { Rdf = histogram.Frames > 0 ? outputs.Rdf : null }, diverged, interrupted);
    }

    private RunSummary Summarise(BlockAverage[] averages, long done, double seconds, SimulationDivergedException? diverged, RunOutputs outputs)
    {
        var state = model.State;
        var units = state.Units;
        var m = config.Model;
        var info = new List<(string, string)>
        {
            ("config", config.Source.Name),
            ("potential", m.Potential.Kind),
            ("cutoff", model.Forces.MaxCutoff.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)),
            ("shift", m.Potential.Shift ? "true" : "false"),
            ("integrator", IntegratorConfig.KindName(m.Integrator.Kind)),
            ("lattice", m.System.Lattice.ToString().ToLowerInvariant()),
            ("output_dir", outputs.Directory),
            ("thermo_csv", outputs.Thermo),
        };
        if (m.Integrator.Temperature is { } t) info.Add(("target_temperature", t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        if (outputs.Rdf is not null) info.Add(("rdf_csv", outputs.Rdf));
        if (outputs.Trajectory is not null) info.Add(("trajectory", outputs.Trajectory));
        return new RunSummary
        {
            Status = diverged is null ? "completed" : "diverged",
            Error = diverged?.Message,
            Units = units,
            Atoms = state.Count,
            Types = state.Types.Select((t, k) => (t.Name, state.CountOfType(k), t.Mass)).ToList(),
            Box = state.Box,
            TimeStep = model.Integrator.TimeStep,
            EquilibrationSteps = config.Run.Equilibrate,
            ProductionSteps = config.Run.Steps,
            StepsCompleted = done,
            ThermoEvery = config.Run.ThermoEvery,
            WallSeconds = seconds,
            AtomStepsPerSecond = seconds > 0 ? state.Count * (double)done / seconds : double.NaN,
            ListBuilds = model.Forces.ListBuilds,
            Precision = model.Options.Precision,
            Threads = model.Options.Threads,
            KernelPath = model.KernelPath,
            Averages = ThermoSample.Columns.Select((name, c) => new ThermoAverage(name, UnitLabels.ThermoColumn(units, name), averages[c].Mean, averages[c].StandardError, averages[c].Count)).ToList(),
            Info = info,
        };
    }
}
