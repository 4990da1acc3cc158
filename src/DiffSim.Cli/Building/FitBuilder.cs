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
/// target itself with the column of each partial (in <see cref="SmearedRdf.PairOrder"/>) for other grids, and the
/// state's whole loss by terms with its pressure and energy observable, when it has one.
/// </summary>
public sealed record FitStatePoint(StatePoint Point, StateConfig Config, SmearedRdf Rdf, IReadOnlyList<double[]?> Targets, RdfMseLoss Loss, RdfTarget Target, int[] TargetColumns,
    CompositeLoss Terms, DifferentiableThermo? Thermo);

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
            IDifferentiableForceField field;
            try
            {
                state.Box.EnsureFits(model.Potential.MaxCutoff());
                field = BuildField(model.Potential, names, options, sc.Temperature, config.States.Average(s => s.Temperature));
            }
            catch (ArgumentException e) { throw new ConfigException("[potential]", $"[potential] (state {sc.Name}): {e.Message}"); }

            CheckMemoryBudget(config.Train.Options, state, sc);
            var rdf = BuildRdf(config.Rdf, state, sc, names.Count, model);
            var (target, columns) = StateTarget.Read(sc, names);
            var targets = OnGrid(target, columns, rdf.Centres, config.Rdf.LossRMin, config.Rdf.LossRMax ?? rdf.RMax, sc);
            var lossMax = config.Rdf.LossRMax ?? rdf.RMax;
            var loss = RdfMseLoss.For(rdf, targets, config.Rdf.LossRMin, lossMax);
            var stateLoss = LossTermsBuilder.Build(sc, config, state, field, rdf, loss);
            var point = new StatePoint
            {
                Name = sc.Name,
                State = state,
                Field = field,
                Integrator = ModelBuilder.BuildIntegrator(model),
                Observables = stateLoss.Observables,
                Loss = stateLoss.Loss.Evaluate,
                Weight = sc.Weight,
                EquilibrationSteps = config.Train.Equilibrate,
            };
            states.Add(new FitStatePoint(point, sc, rdf, targets, loss, target, columns, stateLoss.Loss, stateLoss.Thermo));
        }

        var first = states[0].Point.Field;
        var initial = new double[first.ParameterCount];
        first.GetParameters(initial);
        if (config.Training.Init == "boltzmann") initial = BoltzmannStart(config, states[0], first, names);
        var free = config.Training.FreeMask(first.ParameterNames);
        var trainer = new Trainer(states.Select(s => s.Point).ToList(), initial, free, config.Train.Options);
        return new BuiltFit(trainer, states, names, first.ParameterNames, initial);
    }

    /// <summary>
    /// An analytic potential from the catalog, or one network per type pair (at the state's temperature for
    /// nn-temperature, reduced by the configured reference temperature or else the states' mean).
    /// </summary>
    private static IDifferentiableForceField BuildField(PotentialConfig pot, IReadOnlyList<string> names, ForceFieldOptions options, double temperature, double meanTemperature)
    {
        if (pot.Neural is { } nn)
        {
            var neural = new DiffSim.Potentials.Neural.NeuralPairOptions
            {
                Cutoff = pot.Cutoff!.Value,
                Network = new DiffSim.Potentials.Neural.PairNetworkShape { Gaussians = nn.Gaussians, Width = nn.Width, Depth = nn.Depth, Activation = nn.Activation },
                Prior = nn.Prior,
                GridSpacing = nn.GridSpacing,
                SwitchOn = nn.SwitchOn,
                Temperature = nn.TemperatureDependent ? temperature : null,
                ReferenceTemperature = nn.TemperatureDependent ? nn.ReferenceTemperature ?? meanTemperature : null,
                Seed = nn.Seed,
            };
            return new NeuralPairField(names, neural, options.Skin, options.Precision, options.Path, options.Threads);
        }
        var specs = pot.Pairs.Select(p => new PairSpec(p.TypeA, p.TypeB, p.Parameters, p.Cutoff ?? pot.Cutoff!.Value)).ToList();
        return PotentialCatalog.Find(pot.Kind).CreateDifferentiable(names.Count, names, specs, options);
    }

    /// <summary>
    /// [model] init = "boltzmann": θ pre-fitted to u₀ = −k_B T ln g of the first state's target (each partial), the
    /// start the paper recommends for networks.
    /// </summary>
    private static double[] BoltzmannStart(FitConfig config, FitStatePoint first, IDifferentiableForceField field, IReadOnlyList<string> names)
    {
        if (field is not NeuralPairField neural)
            throw new ConfigException("[model].init", "[model].init: \"boltzmann\" needs a neural potential ([potential] kind = \"nn\" or \"nn-temperature\")");
        var kt = config.Model.Units.Boltzmann * first.Config.Temperature;
        var inversions = new Dictionary<(int, int), BoltzmannInversion>();
        foreach (var (a, b) in first.Rdf.PairOrder)
        {
            var column = first.TargetColumns[first.Rdf.PartialIndex(a, b)];
            try { inversions[(a, b)] = new BoltzmannInversion(first.Target.R.ToArray(), first.Target.Partial(column).ToArray(), kt, taperFrom: 0.8 * config.Model.Potential.Cutoff!.Value, cutoff: config.Model.Potential.Cutoff!.Value); }
            catch (ArgumentException e)
            {
                throw new ConfigException("[model].init", $"[model].init = \"boltzmann\": the {names[a]}-{names[b]} partial of state {first.Config.Name}'s target ({first.Target.Source}): {e.Message}; start from the seeded network (init = \"config\") or give a target with that partial");
            }
        }
        var initial = neural.InitialParameters();
        var (theta, _) = neural.Prefit(initial, (a, b, r) => inversions[(Math.Min(a, b), Math.Max(a, b))].Energy(r), maxEnergy: 5 * kt, steps: config.Training.PrefitSteps);
        return theta;
    }

    /// <summary>A checkpoint budget too small for the window, refused before the equilibration rather than after it.</summary>
    private static void CheckMemoryBudget(TrainingOptions options, DiffSim.Systems.State state, StateConfig sc)
    {
        var policy = options.Checkpointing;
        try
        {
            if (policy.Binomial) policy.ResolveSlots(options.WindowSteps, state.Bytes);
            else policy.Resolve(options.WindowSteps, state.Bytes);
        }
        catch (ArgumentException e) { throw new ConfigException("[train].checkpoint_memory_mb", $"[train].checkpoint_memory_mb (state {sc.Name}): {e.Message}"); }
    }

    /// <summary>
    /// The state's differentiable RDF. Its range defaults to 1.2 cutoffs (3σ at least in reduced units), as IBI's
    /// does, short of half the box: a fixed 3 would be 3 Å under units = "real".
    /// </summary>
    private static SmearedRdf BuildRdf(FitRdfConfig c, DiffSim.Systems.State state, StateConfig sc, int types, ModelConfig model)
    {
        var half = 0.5 * state.Box.MinEdge;
        var floor = model.Units == UnitSystem.Lj ? 3.0 : 0.0;
        var rmax = c.RMax ?? Math.Min(half - 5 * c.Width, Math.Max(floor, 1.2 * model.Potential.MaxCutoff()));
        if (rmax + 5 * c.Width > half)
            throw new ConfigException("[rdf].rmax", $"[rdf].rmax: {rmax} plus 5 × width reaches past half the box of state {sc.Name} ({half:G4}); lower rmax or use more cells");
        var range = c.RMax is null ? $"the default rmax = {rmax:G4} of state {sc.Name}" : $"rmax = {rmax:G4}";
        if (c.LossRMax is { } lossMax && lossMax > rmax)
            throw new ConfigException("[rdf].loss_rmax", $"[rdf].loss_rmax: {lossMax} lies beyond the RDF's range ({range}); lower loss_rmax or raise rmax");
        if (!(c.LossRMin < (c.LossRMax ?? rmax)))
            throw new ConfigException("[rdf].loss_rmin", $"[rdf].loss_rmin: {c.LossRMin} leaves no range below {(c.LossRMax is null ? range : $"loss_rmax = {c.LossRMax}")}; lower loss_rmin");
        try { return new SmearedRdf(types, c.Bins, c.RMin, rmax, c.Width); }
        catch (ArgumentException e) { throw new ConfigException("[rdf]", $"[rdf]: {e.Message}"); }
    }

    /// <summary>Each partial's target interpolated onto <paramref name="centres"/>, NaN outside [rLo, rHi].</summary>
    public static List<double[]?> OnGrid(RdfTarget target, int[] columns, IReadOnlyList<double> centres, double rLo, double rHi, StateConfig sc)
    {
        try { return columns.Select(c => (double[]?)target.OnGrid(c, centres, rLo, rHi)).ToList(); }
        catch (ArgumentException e) { throw new ConfigException("[[state]].target", $"[[state]].target of {sc.Name}: {e.Message}"); }
    }
}
