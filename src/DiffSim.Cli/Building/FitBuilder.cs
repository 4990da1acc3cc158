using DiffSim.Adjoint;
using DiffSim.Cli.Config;
using DiffSim.Forces;
using DiffSim.IO;
using DiffSim.Losses;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Training;

namespace DiffSim.Cli.Building;

/// <summary>A built fit: the trainer with its state points, and what the outputs need to label and compare them.</summary>
public sealed record BuiltFit(Trainer Trainer, IReadOnlyList<FitStatePoint> States, IReadOnlyList<string> TypeNames, IReadOnlyList<string> ParameterNames, double[] InitialParameters);

/// <summary>
/// A state point with its differentiable RDF, the target on the RDF's bins (NaN outside the loss range), and the
/// target itself with the column of each partial (in <see cref="SmearedRdf.PairOrder"/>) for other grids.
/// </summary>
public sealed record FitStatePoint(StatePoint Point, StateConfig Config, SmearedRdf Rdf, IReadOnlyList<double[]?> Targets, RdfMseLoss Loss, RdfTarget Target, int[] TargetColumns);

/// <summary>Config → trainer: one state, force field, integrator, smeared RDF and RDF loss per [[state]], sharing θ.</summary>
public static class FitBuilder
{
    public static BuiltFit Build(FitConfig config)
    {
        var names = config.Model.System.Types.Select(t => t.Name).ToList();
        var options = new ForceFieldOptions
        {
            Skin = config.Model.Potential.Skin,
            Shift = config.Model.Potential.Shift,
            Precision = config.Train.Precision,
            Threads = 1,
        };
        if (config.Model.Potential.IsTable)
            throw new ConfigException("[potential].kind", "[potential].kind: a fit trains an analytic potential's parameters; \"table\" is not trainable yet");

        var states = new List<FitStatePoint>();
        foreach (var sc in config.States)
        {
            var model = config.ForState(sc);
            var state = ModelBuilder.BuildState(model, model.System.Seed);
            var pot = model.Potential;
            var specs = pot.Pairs.Select(p => new PairSpec(p.TypeA, p.TypeB, p.Parameters, p.Cutoff ?? pot.Cutoff!.Value)).ToList();
            IDifferentiableForceField field;
            try
            {
                state.Box.EnsureFits(specs.Max(s => s.Cutoff));
                field = PotentialCatalog.Find(pot.Kind).CreateDifferentiable(names.Count, names, specs, options);
            }
            catch (ArgumentException e) { throw new ConfigException("[potential]", $"[potential] (state {sc.Name}): {e.Message}"); }

            var rdf = BuildRdf(config.Rdf, state, sc, names.Count);
            var (target, columns) = ReadTarget(sc, rdf, names);
            var targets = OnGrid(target, columns, rdf.Centres, config.Rdf.LossRMin, config.Rdf.LossRMax ?? rdf.RMax, sc);
            var lossMax = config.Rdf.LossRMax ?? rdf.RMax;
            var loss = RdfMseLoss.For(rdf, targets, config.Rdf.LossRMin, lossMax);
            var point = new StatePoint
            {
                Name = sc.Name,
                State = state,
                Field = field,
                Integrator = ModelBuilder.BuildIntegrator(model),
                Observables = [rdf],
                Loss = (obs, d) => loss.Evaluate(obs[0].Value, d[0]),
                Weight = sc.Weight,
                EquilibrationSteps = config.Train.Equilibrate,
            };
            states.Add(new FitStatePoint(point, sc, rdf, targets, loss, target, columns));
        }

        var first = states[0].Point.Field;
        var initial = new double[first.ParameterCount];
        first.GetParameters(initial);
        var free = config.Training.FreeMask(first.ParameterNames);
        var trainer = new Trainer(states.Select(s => s.Point).ToList(), initial, free, config.Train.Options);
        return new BuiltFit(trainer, states, names, first.ParameterNames, initial);
    }

    private static SmearedRdf BuildRdf(FitRdfConfig c, DiffSim.Systems.State state, StateConfig sc, int types)
    {
        var half = 0.5 * state.Box.MinEdge;
        var rmax = c.RMax ?? Math.Min(3.0, half - 5 * c.Width);
        if (rmax + 5 * c.Width > half)
            throw new ConfigException("[rdf].rmax", $"[rdf].rmax: {rmax} plus 5 × width reaches past half the box of state {sc.Name} ({half:G4}); lower rmax or use more cells");
        try { return new SmearedRdf(types, c.Bins, c.RMin, rmax, c.Width); }
        catch (ArgumentException e) { throw new ConfigException("[rdf]", $"[rdf]: {e.Message}"); }
    }

    private static (RdfTarget Target, int[] Columns) ReadTarget(StateConfig sc, SmearedRdf rdf, IReadOnlyList<string> names)
    {
        try
        {
            var target = RdfTargetReader.Read(sc.Target);
            var columns = rdf.PairOrder.Select(ab => target.IndexOfPair(names[ab.A], names[ab.B], singleIsTotal: names.Count == 1)).ToArray();
            return (target, columns);
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            throw new ConfigException("[[state]].target", $"[[state]].target of {sc.Name}: {e.Message}");
        }
    }

    /// <summary>Each partial's target interpolated onto <paramref name="centres"/>, NaN outside [rLo, rHi].</summary>
    public static List<double[]?> OnGrid(RdfTarget target, int[] columns, IReadOnlyList<double> centres, double rLo, double rHi, StateConfig sc)
    {
        try { return columns.Select(c => (double[]?)target.OnGrid(c, centres, rLo, rHi)).ToList(); }
        catch (ArgumentException e) { throw new ConfigException("[[state]].target", $"[[state]].target of {sc.Name}: {e.Message}"); }
    }
}
