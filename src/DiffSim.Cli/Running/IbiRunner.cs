using System.Globalization;
using System.Text.Json;
using DiffSim.Cli.Building;
using DiffSim.Cli.Config;
using DiffSim.IO;
using DiffSim.Training;

namespace DiffSim.Cli.Running;

/// <summary>What an IBI run produced: the iterations and the folder of its files.</summary>
public sealed record IbiResult(IReadOnlyList<IbiIteration> Iterations, double WallSeconds, string Directory);

/// <summary>
/// <c>diffsim ibi</c>: builds one <see cref="IbiStatePoint"/> per [[state]] (the same systems, integrators and
/// targets as <c>diffsim fit</c>), runs <see cref="IterativeBoltzmannInversion"/> and writes ibi.csv (a row per
/// iteration, flushed), potential.csv, potential.table, rdf_&lt;state&gt;.csv, PNG plots and summary.json.
/// </summary>
public sealed class IbiRunner(IbiConfig config, TextWriter log)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Config → engine objects; bad values become <see cref="ConfigException"/>s.</summary>
    public IterativeBoltzmannInversion Build()
    {
        var fit = config.Fit;
        var pot = fit.Model.Potential;
        var names = fit.Model.System.Types.Select(t => t.Name).ToList();
        var cutoffs = new Dictionary<(int, int), double>();
        foreach (var p in pot.Pairs)
        {
            var rc = p.Cutoff ?? pot.Cutoff ?? throw new ConfigException("[potential].cutoff", $"[potential].cutoff: IBI needs each pair's cutoff; give [potential].cutoff or cutoff in {p.Display}");
            cutoffs[(Math.Min(p.TypeA, p.TypeB), Math.Max(p.TypeA, p.TypeB))] = rc;
        }
        double CutoffOf(int a, int b) => cutoffs.TryGetValue((a, b), out var c) ? c : pot.Cutoff!.Value;
        var maxCutoff = Enumerable.Range(0, names.Count).SelectMany(a => Enumerable.Range(a, names.Count - a).Select(b => CutoffOf(a, b))).Max();

        var states = new List<IbiStatePoint>();
        var built = fit.States.Select(sc => (sc, model: fit.ForState(sc))).Select(x => (x.sc, x.model, state: ModelBuilder.BuildState(x.model, x.model.System.Seed))).ToList();
        var half = built.Min(b => 0.5 * b.state.Box.MinEdge);
        var rmax = fit.Rdf.RMax ?? Math.Min(half, Math.Max(3.0, 1.2 * maxCutoff));
        if (rmax > half) throw new ConfigException("[rdf].rmax", $"[rdf].rmax: {rmax} reaches past half the smallest box ({half:G4}); lower it or use more cells");
        if (rmax < maxCutoff) throw new ConfigException("[rdf].rmax", $"[rdf].rmax: IBI needs g(r) up to the cutoff {maxCutoff}; the range ends at {rmax:G4} (raise rmax or use more cells)");
        var spacing = config.Ibi.GridSpacing ?? rmax / fit.Rdf.Bins;
        var bins = (int)Math.Round(rmax / spacing);
        var centres = Enumerable.Range(0, bins).Select(k => (k + 0.5) * rmax / bins).ToArray();
        foreach (var (sc, model, state) in built)
        {
            var target = StateTarget.Read(sc, names);
            states.Add(new IbiStatePoint
            {
                Name = sc.Name,
                State = state,
                Integrator = ModelBuilder.BuildIntegrator(model),
                Temperature = sc.Temperature,
                Target = target.Columns.Select(c => OnGrid(target.Target, c, centres, sc)).ToList(),
                Weight = sc.Weight,
                TargetPressure = config.Ibi.Pressures.TryGetValue(sc.Name, out var p) ? p : null,
            });
        }
        var s = config.Ibi;
        var options = new IbiOptions
        {
            Iterations = s.Iterations,
            StepsPerIteration = s.StepsPerIteration,
            Equilibrate = s.Equilibrate,
            InitialEquilibrate = s.InitialEquilibrate,
            SampleEvery = s.SampleEvery,
            Damping = s.Damping,
            Threshold = s.Threshold,
            SmoothingPasses = s.Smoothing,
            Taper = s.Taper,
            GridSpacing = rmax / bins,
            RdfMax = rmax,
            ErrorRMin = fit.Rdf.LossRMin,
            ErrorRMax = fit.Rdf.LossRMax ?? rmax,
            PressureCorrection = s.PressureCorrection,
            PressureScale = s.PressureScale,
            Skin = pot.Skin,
            Threads = s.Threads,
        };
        try { return new IterativeBoltzmannInversion(names, states, CutoffOf, options); }
        catch (ArgumentException e) { throw new ConfigException("[ibi]", $"ibi: {e.Message}"); }
    }

    public IbiResult Run(IterativeBoltzmannInversion ibi, CancellationToken cancel = default)
    {
        var dir = config.Fit.Output.Directory;
        Directory.CreateDirectory(dir);
        var names = ibi.States.Select(s => s.Name).ToList();
        EarlierOutputs.Remove(dir, EarlierOutputs.OfAFit(names));
        using var csv = new StreamWriter(Path.Combine(dir, "ibi.csv"));
        csv.WriteLine(string.Join(",", new[] { "iteration" }.Concat(names.Select(n => $"rms_{n}")).Concat(names.Select(n => $"pressure_{n}")).Concat(["max_correction", "seconds"])));
        log.WriteLine($"equilibrating {names.Count} state point(s) for {ibi.Options.InitialEquilibrate} steps, then {ibi.Options.Iterations} iterations of {ibi.Options.Equilibrate} + {ibi.Options.StepsPerIteration} steps ...");
        log.Flush();
        var iterations = ibi.Run(it =>
        {
            csv.WriteLine(string.Join(",", new[] { it.Iteration.ToString(Inv) }.Concat(it.RmsErrors.Select(F)).Concat(it.Pressures.Select(F)).Concat([F(it.MaxCorrection), F(it.Seconds)])));
            csv.Flush();
            var states = string.Join("  ", names.Select((n, k) => string.Create(Inv, $"{n}: rms {it.RmsErrors[k]:F4} P {it.Pressures[k]:G4}")));
            log.WriteLine(string.Create(Inv, $"iteration {it.Iteration,4}/{ibi.Options.Iterations}  {states}  max|Δu| {it.MaxCorrection:G3}  ({it.Seconds:F1} s)"));
            log.Flush();
        }, cancel);
        var seconds = iterations.Count > 0 ? iterations[^1].Seconds : 0.0;
        WriteOutputs(dir, ibi, iterations, seconds);
        return new IbiResult(iterations, seconds, dir);
    }

    private void WriteOutputs(string dir, IterativeBoltzmannInversion ibi, IReadOnlyList<IbiIteration> iterations, double seconds)
    {
        var field = ibi.Field;
        var maxCut = ibi.PairOrder.Max(ab => field.Cutoff(ab.A, ab.B));
        var rMin = ibi.PairOrder.Min(ab => ibi.Knots(ab.A, ab.B)[0]);
        var pairNames = ibi.PairOrder.Select(ab => $"{ibi.TypeNames[ab.A]}_{ibi.TypeNames[ab.B]}").ToArray();
        PotentialExport.WriteCsv(Path.Combine(dir, "potential.csv"), field, ibi.TypeNames, PotentialExport.Grid(rMin, maxCut, 500), config.Fit.Model.Units);
        PotentialExport.WriteLammpsTable(Path.Combine(dir, "potential.table"), field, ibi.TypeNames, rMin, 1000, config.Fit.Model.Units.Name);
        if (iterations.Count > 0)
        {
            var last = iterations[^1];
            for (var k = 0; k < ibi.States.Count; k++)
            {
                var units = config.Fit.Model.Units;
                RdfCsvWriter.Write(Path.Combine(dir, $"rdf_{ibi.States[k].Name}.csv"), ibi.Centres,
                    pairNames.Select((n, p) => ($"g_{n}", last.Rdfs[k][p])).Concat(pairNames.Select((n, p) => ($"target_{n}", ibi.States[k].Target[p]))).ToArray(),
                    string.Create(Inv, $"units {units.Name}: r in {units.LengthUnit}; g of the last iteration, the target over its own range, the error over [{ibi.Options.ErrorRMin}, {(double.IsFinite(ibi.Options.ErrorRMax) ? ibi.Options.ErrorRMax.ToString(Inv) : "rmax")}]"));
            }
        }
        IbiPlots.Write(dir, ibi, iterations);

        var summary = new Dictionary<string, object?>
        {
            ["method"] = "iterative Boltzmann inversion",
            ["iterations"] = iterations.Count > 0 ? iterations[^1].Iteration : 0,
            ["options"] = new { damping = ibi.Options.Damping, threshold = ibi.Options.Threshold, smoothing = ibi.Options.SmoothingPasses, taper = ibi.Options.Taper, grid_spacing = ibi.Options.GridSpacing, steps_per_iteration = ibi.Options.StepsPerIteration, equilibrate = ibi.Options.Equilibrate, sample_every = ibi.Options.SampleEvery, pressure_correction = ibi.Options.PressureCorrection },
            ["states"] = ibi.States.Select((s, k) => new
            {
                name = s.Name,
                temperature = s.Temperature,
                weight = s.Weight,
                rdf_rms_error_initial = iterations.Count > 0 ? iterations[0].RmsErrors[k] : double.NaN,
                rdf_rms_error = iterations.Count > 0 ? iterations[^1].RmsErrors[k] : double.NaN,
                rdf_rms_error_best = iterations.Count > 0 ? iterations.Min(i => i.RmsErrors[k]) : double.NaN,
                pressure = iterations.Count > 0 ? iterations[^1].Pressures[k] : double.NaN,
                target_pressure = s.TargetPressure,
            }).ToArray(),
            ["wall_seconds"] = seconds,
            ["seconds_per_iteration"] = iterations.Count > 0 ? seconds / iterations.Count : (double?)null,
            ["units"] = config.Fit.Model.Units.Name,
        };
        File.WriteAllText(Path.Combine(dir, "summary.json"), JsonSerializer.Serialize(summary, SummaryJson.Options));
    }

    private static string F(double v) => v.ToString("R", Inv);

    private static double[] OnGrid(RdfTarget target, int column, double[] centres, StateConfig sc)
    {
        try { return target.OnGrid(column, centres); }
        catch (ArgumentException e) { throw new ConfigException("[[state]].target", $"[[state]].target of {sc.Name}: {e.Message} (IBI needs the target over the whole [rdf] range)"); }
    }
}
