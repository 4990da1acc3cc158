using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DiffSim.Cli.Building;
using DiffSim.Cli.Config;
using DiffSim.IO;
using DiffSim.Observables;
using DiffSim.Training;

namespace DiffSim.Cli.Running;

/// <summary>
/// A state point's RDF with the fitted potential (plain histogram), its target on the same bins and their RMS
/// difference, and the run's mean pressure and potential energy per particle over the same frames.
/// </summary>
public sealed record StateEvaluation(FitStatePoint State, double[] Centres, double[][] G, IReadOnlyList<double[]?> Target, double RmsError, int Frames,
    double Pressure, double Energy);

/// <summary>What a fit produced: final parameters, per-state RDF errors and the files written.</summary>
public sealed record FitResult(double[] Parameters, IReadOnlyList<double> RdfRmsErrors, IReadOnlyList<EpochRecord> Epochs, double WallSeconds, string Directory)
{
    /// <summary>Stopped (Ctrl-C) before its last epoch: train.csv and checkpoint.json hold the epochs done; no evaluation, no outputs.</summary>
    public bool Interrupted { get; init; }
}

/// <summary>
/// Runs a built fit: equilibration, epochs (train.csv row and an atomic checkpoint.json after each), then a final
/// evaluation of every state point with the fitted potential and the outputs (potential.csv, potential.table,
/// rdf_&lt;state&gt;.csv, PNG plots, summary.json).
/// </summary>
public sealed class FitRunner(FitConfig config, BuiltFit fit, TextWriter log)
{
    public const string CheckpointFile = "checkpoint.json";

    /// <summary>Written last: its presence tells a finished run (--resume refuses it) from one stopped before its outputs.</summary>
    public const string SummaryFile = "summary.json";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public FitResult Run(bool resume, CancellationToken cancel = default)
    {
        var dir = config.Output.Directory;
        Directory.CreateDirectory(dir);
        var trainer = fit.Trainer;
        var trainCsv = Path.Combine(dir, "train.csv");
        var checkpointPath = Path.Combine(dir, CheckpointFile);
        var clock = Stopwatch.StartNew();

        if (resume)
        {
            ConfigException Unusable(string why) => new("--resume", $"--resume: {checkpointPath}: {why}; give -o the folder of the run to continue, or start afresh without --resume");
            TrainingCheckpoint saved;
            try { saved = TrainingCheckpoint.Read(checkpointPath); }
            catch (InvalidDataException e) { throw Unusable(e.Message); }
            if (saved.Config.Length > 0 && config.DifferenceFrom(saved.Config) is { } change)
                throw new ConfigException("--resume", $"--resume: the config changed since {checkpointPath} was written ({change}); resume with the config the run started with (only [train] epochs, threads, evaluate_steps and [output] dir may change), or start afresh without --resume");
            try { saved.Restore(trainer); }
            catch (InvalidDataException e) { throw Unusable(e.Message); }
            // A finished run has its summary; one stopped during its final evaluation has not, and gets its outputs now.
            if (trainer.Epoch >= config.Train.Options.Epochs && File.Exists(Path.Combine(dir, SummaryFile)))
                throw new ConfigException("--resume", $"--resume: {checkpointPath} is at epoch {trainer.Epoch}, the last of [train] epochs = {config.Train.Options.Epochs}, and the run's outputs are written: nothing to continue (raise epochs to train further)");
            TrimTrainCsv(trainCsv, trainer.Epoch);
            log.WriteLine($"resumed from {checkpointPath} after epoch {trainer.Epoch}");
        }
        else
        {
            EarlierOutputs.Remove(dir, EarlierOutputs.OfAFit(fit.States.Select(s => s.Config.Name)));
            log.WriteLine($"equilibrating {fit.States.Count} state point(s) for {config.Train.Equilibrate} steps ...");
            trainer.Equilibrate();
            File.WriteAllText(trainCsv, Header() + "\n");
        }

        var epochs = new List<EpochRecord>();
        var every = Math.Max(1, config.Train.Options.Epochs / 50);
        using (var csv = new StreamWriter(trainCsv, append: true))
        {
            trainer.Run(record =>
            {
                epochs.Add(record);
                csv.WriteLine(Row(record));
                csv.Flush();
                var checkpoint = TrainingCheckpoint.Capture(trainer);
                checkpoint.Config = [.. config.Canonical];
                checkpoint.Write(checkpointPath);
                if (record.Epoch % every == 0 || record.Epoch == 1 || record.Epoch == config.Train.Options.Epochs)
                    log.WriteLine(Progress(record, clock.Elapsed.TotalSeconds));
            }, cancel);
        }
        log.WriteLine($"training: {epochs.Count} epochs in {clock.Elapsed.TotalSeconds:F1} s ({1000 * clock.Elapsed.TotalSeconds / Math.Max(1, epochs.Count):F1} ms an epoch)");
        // The progress lines show the iterate; with averaging on, the fitted θ (what the outputs hold) is the average.
        if (ListParameters && config.Train.Options.ParameterAveraging > 0)
            log.WriteLine("fitted (moving average): " + FreeParameters(Fitted));

        // Interrupted: the epochs done are in train.csv and the checkpoint; --resume continues, and evaluates at the end.
        if (cancel.IsCancellationRequested && trainer.Epoch < config.Train.Options.Epochs)
            return new FitResult((double[])Fitted.Clone(), [], epochs, clock.Elapsed.TotalSeconds, dir) { Interrupted = true };
        var evaluations = Evaluate(dir);
        WriteOutputs(dir, evaluations, epochs, ReadLossHistory(trainCsv), clock.Elapsed.TotalSeconds);
        return new FitResult((double[])Fitted.Clone(), evaluations.Select(e => e.RmsError).ToList(), epochs, clock.Elapsed.TotalSeconds, dir);
    }

    /// <summary>An analytic potential's parameters get a train.csv column and a progress entry; a network's weights (however few) live in checkpoint.json.</summary>
    private bool ListParameters => config.Model.Potential.Neural is null;

    /// <summary>The fitted θ: the moving average over the epochs when [train].average is set, else the last iterate.</summary>
    private double[] Fitted => fit.Trainer.AveragedParameters.Length == fit.Trainer.Parameters.Length ? fit.Trainer.AveragedParameters : fit.Trainer.Parameters;

    private string Header()
        => string.Join(",", new[] { "epoch" }.Concat(fit.States.SelectMany(s => new[] { $"loss_{s.Config.Name}" }.Concat(TermColumns(s))))
            .Concat(["total", "grad_norm", "learning_rate"])
            .Concat(ListParameters ? fit.ParameterNames : []));

    /// <summary>
    /// A state with loss terms besides its RDF gets a column per term (loss_&lt;state&gt;_rdf, …_pressure, …) and the
    /// window averages of its pressure and potential energy per particle; a state with the RDF alone gets none.
    /// </summary>
    private static IEnumerable<string> TermColumns(FitStatePoint s)
        => s.Terms.Terms.Count == 1 ? []
            : s.Terms.Terms.Select(t => $"loss_{s.Config.Name}_{t.Name}")
                .Concat(s.Thermo is null ? [] : [$"pressure_{s.Config.Name}", $"energy_{s.Config.Name}"]);

    /// <summary>The values of <see cref="TermColumns"/> after the last window (the observables keep its averages until the next).</summary>
    private static IEnumerable<double> TermValues(FitStatePoint s)
        => s.Terms.Terms.Count == 1 ? []
            : s.Terms.LastValues.ToArray().Concat(s.Thermo is null ? [] : s.Thermo.Value.ToArray());

    private string Row(EpochRecord r)
        => string.Join(",", new[] { r.Epoch.ToString(Inv) }
            .Concat(fit.States.SelectMany((s, k) => new[] { r.StateLosses[k] }.Concat(TermValues(s)).Select(l => l.ToString("R", Inv))))
            .Concat([r.TotalLoss.ToString("R", Inv), r.GradientNorm.ToString("R", Inv), r.LearningRate.ToString("R", Inv)])
            .Concat(ListParameters ? r.Parameters.Select(p => p.ToString("R", Inv)) : []));

    /// <summary>"name=value" of each free parameter.</summary>
    private string FreeParameters(IReadOnlyList<double> values)
        => string.Join(" ", fit.ParameterNames.Select((n, k) => fit.Trainer.Free[k] ? string.Create(Inv, $"{n}={values[k]:F5}") : null).Where(s => s is not null));

    private string Progress(EpochRecord r, double seconds)
    {
        var parameters = !ListParameters ? $"({fit.ParameterNames.Count} network parameters)" : FreeParameters(r.Parameters);
        var thermo = string.Concat(fit.States.Where(s => s.Thermo is not null)
            .Select(s => string.Create(Inv, $"  P[{s.Config.Name}]={s.Thermo!.Value[DifferentiableThermo.Pressure]:G4} U[{s.Config.Name}]={s.Thermo.Value[DifferentiableThermo.Energy]:G4}")));
        return string.Create(Inv, $"epoch {r.Epoch,5}/{config.Train.Options.Epochs}  loss {r.TotalLoss:E3}  |grad| {r.GradientNorm:E2}  {parameters}{thermo}  ({seconds:F0} s)");
    }

    /// <summary>Drops rows written after the checkpoint's epoch (a crash between the row and the checkpoint).</summary>
    private static void TrimTrainCsv(string path, int epoch)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"cannot resume: {path} is missing", path);
        var lines = File.ReadAllLines(path);
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l => int.Parse(l.Split(',')[0], Inv) <= epoch));
        File.WriteAllLines(path, kept);
    }

    /// <summary>
    /// Runs each state point forward with the final parameters and compares its plain histogram RDF (the estimator
    /// the targets were made with, bins of the fit's width from 0) with the target over the loss range; writes
    /// rdf_&lt;state&gt;.csv. The RMS error includes this run's own statistical noise.
    /// </summary>
    private List<StateEvaluation> Evaluate(string dir)
    {
        var steps = config.Train.EvaluateSteps;
        var every = config.Train.Options.SampleEvery;
        var results = new List<StateEvaluation>();
        foreach (var s in fit.States)
        {
            var p = s.Point;
            p.Field.SetParameters(Fitted);
            var sim = new Simulation(p.State, p.Field, p.Integrator);
            var histogram = new PairHistogram((int)Math.Round(s.Rdf.RMax / s.Rdf.BinWidth), s.Rdf.RMax, p.State.Types.Count);
            double pressure = 0, energy = 0;
            for (var n = 1; n <= steps; n++)
            {
                sim.Step(energy: n % every == 0);
                if (n % every != 0) continue;
                histogram.Accumulate(p.State);
                var thermo = sim.Thermo();
                pressure += thermo.Pressure;
                energy += thermo.PotentialEnergy;
            }
            var frames = Math.Max(1, steps / every);
            var centres = histogram.Centres();
            var g = s.Rdf.PairOrder.Select(ab => histogram.Rdf(p.State, ab.A, ab.B)).ToArray();
            var lossMax = config.Rdf.LossRMax ?? s.Rdf.RMax;
            var targets = FitBuilder.OnGrid(s.Target, s.TargetColumns, centres, config.Rdf.LossRMin, lossMax, s.Config);
            double sum = 0;
            var count = 0;
            for (var q = 0; q < g.Length; q++)
                for (var k = 0; k < centres.Length; k++)
                    if (targets[q] is { } t && !double.IsNaN(t[k])) { sum += (g[q][k] - t[k]) * (g[q][k] - t[k]); count++; }
            var evaluation = new StateEvaluation(s, centres, g, targets, count > 0 ? Math.Sqrt(sum / count) : double.NaN, steps / every, pressure / frames, energy / frames);
            WriteRdf(Path.Combine(dir, $"rdf_{s.Config.Name}.csv"), evaluation);
            results.Add(evaluation);
            log.WriteLine(string.Create(Inv, $"state {s.Config.Name}: RMS error of g(r) with the fitted potential {evaluation.RmsError:F4} over {count} bins ({steps} steps, {evaluation.Frames} frames); pressure {evaluation.Pressure:G5}{Versus(s.Config.Terms.Pressure)}, potential energy {evaluation.Energy:G5}{Versus(s.Config.Terms.Energy)} per particle"));
        }
        return results;
    }

    private static string Versus(ScalarTermConfig? term) => term is null ? "" : string.Create(Inv, $" (target {term.Target:G5})");

    /// <summary>
    /// The evaluation's g and the target on its bins, the target wherever the file has it (not only over the loss
    /// range, which the RMS error uses), for plotting the two side by side.
    /// </summary>
    private void WriteRdf(string path, StateEvaluation e)
    {
        var pairs = e.State.Rdf.PairOrder.Select(ab => $"{fit.TypeNames[ab.A]}_{fit.TypeNames[ab.B]}").ToArray();
        var target = e.State.Target;
        var targets = e.State.TargetColumns.Select(c => target.OnGrid(c, e.Centres, target.R[0], target.R[^1]));
        var units = config.Model.Units;
        RdfCsvWriter.Write(path, e.Centres, pairs.Select((n, k) => ($"g_{n}", e.G[k])).Concat(pairs.Zip(targets, (n, t) => ($"target_{n}", t))).ToArray(),
            string.Create(Inv, $"units {units.Name}: r in {units.LengthUnit}; the target over its own range, the loss over [{config.Rdf.LossRMin}, {(config.Rdf.LossRMax is { } max ? max.ToString(Inv) : "rmax")}]"));
    }

    /// <summary>
    /// Every epoch's total loss from train.csv, the whole run's (this process ran only the epochs after a resume):
    /// what the loss plot and the summary's final loss show.
    /// </summary>
    private static (double[] Epochs, double[] Totals) ReadLossHistory(string trainCsv)
    {
        var lines = File.ReadAllLines(trainCsv);
        var header = lines[0].Split(',');
        var (epoch, total) = (Array.IndexOf(header, "epoch"), Array.IndexOf(header, "total"));
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        return (rows.Select(r => double.Parse(r[epoch], Inv)).ToArray(), rows.Select(r => double.Parse(r[total], Inv)).ToArray());
    }

    private void WriteOutputs(string dir, IReadOnlyList<StateEvaluation> evaluations, IReadOnlyList<EpochRecord> epochs, (double[] Epochs, double[] Totals) history, double seconds)
    {
        var field = fit.States[0].Point.Field;
        field.SetParameters(Fitted);
        var maxCut = Enumerable.Range(0, field.TypeCount).Max(a => Enumerable.Range(0, field.TypeCount).Max(b => field.Cutoff(a, b)));
        var rMin = 0.5 * (config.Model.Units.Name == "real" ? 2.0 : 1.0);
        PotentialExport.WriteCsv(Path.Combine(dir, "potential.csv"), field, fit.TypeNames, PotentialExport.Grid(rMin, maxCut, 500), config.Model.Units);
        PotentialExport.WriteLammpsTable(Path.Combine(dir, "potential.table"), field, fit.TypeNames, rMin, 1000, config.Model.Units.Name);
        // u(r; T) differs between state points: each gets its own, through its own field (built with its temperature).
        if (config.Model.Potential.Neural is { TemperatureDependent: true })
            foreach (var s in fit.States)
            {
                var own = s.Point.Field;
                own.SetParameters(Fitted);
                PotentialExport.WriteCsv(Path.Combine(dir, $"potential_{s.Config.Name}.csv"), own, fit.TypeNames, PotentialExport.Grid(rMin, maxCut, 500), config.Model.Units);
                PotentialExport.WriteLammpsTable(Path.Combine(dir, $"potential_{s.Config.Name}.table"), own, fit.TypeNames, rMin, 1000, config.Model.Units.Name);
            }
        FitPlots.Write(dir, fit, evaluations, history.Epochs, history.Totals);

        var summary = new Dictionary<string, object?>
        {
            ["parameters"] = !ListParameters ? (object)new { count = fit.ParameterNames.Count, file = CheckpointFile } : fit.ParameterNames.Select((n, k) => new { name = n, initial = fit.InitialParameters[k], final = Fitted[k], free = fit.Trainer.Free[k] }).ToArray(),
            ["epochs"] = fit.Trainer.Epoch,
            ["final_loss"] = history.Totals.Length > 0 ? history.Totals[^1] : (double?)null,
            ["states"] = fit.States.Select((s, k) => new
            {
                name = s.Config.Name, temperature = s.Config.Temperature, target = s.Config.Target, rdf_rms_error = evaluations[k].RmsError, evaluation_frames = evaluations[k].Frames,
                pressure = evaluations[k].Pressure, target_pressure = s.Config.Terms.Pressure?.Target,
                energy = evaluations[k].Energy, target_energy = s.Config.Terms.Energy?.Target,
            }).ToArray(),
            ["wall_seconds"] = seconds,
            ["ms_per_epoch"] = epochs.Count > 0 ? 1000 * seconds / epochs.Count : (double?)null,
            ["peak_trajectory_bytes"] = epochs.Count > 0 ? epochs.Max(e => e.PeakStateBytes) : (long?)null,
            ["units"] = config.Model.Units.Name,
            ["parameter_averaging"] = config.Train.Options.ParameterAveraging,
        };
        File.WriteAllText(Path.Combine(dir, SummaryFile), JsonSerializer.Serialize(summary, SummaryJson.Options));
    }
}
