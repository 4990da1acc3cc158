using DiffSim.Adjoint;
using DiffSim.Cli.Config;
using DiffSim.IO;
using DiffSim.Losses;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Cli.Building;

/// <summary>A state point's observables (the RDF first) and its loss as named terms: "rdf", then "pressure", "energy", "vacf" where configured.</summary>
public sealed record StateLoss(IReadOnlyList<IWindowObservable> Observables, CompositeLoss Loss, DifferentiableThermo? Thermo);

/// <summary>[[state]] loss terms → observables and <see cref="CompositeLoss"/>.</summary>
public static class LossTermsBuilder
{
    public static StateLoss Build(StateConfig sc, FitConfig config, State state, IDifferentiableForceField field, SmearedRdf rdf, RdfMseLoss rdfLoss)
    {
        var observables = new List<IWindowObservable> { rdf };
        var terms = new List<LossTerm> { new("rdf", 0, 0, rdfLoss) };
        var t = sc.Terms;
        var units = state.Units;
        var kt = units.Boltzmann * sc.Temperature;
        DifferentiableThermo? thermo = null;
        if (t.Pressure is not null || t.Energy is not null)
        {
            if (field is not IDifferentiableEnergyVirial ev)
                throw new ConfigException($"[[state]].{(t.Pressure is not null ? "pressure" : "energy")}",
                    $"[[state]] {sc.Name}: the pressure and energy terms need a potential whose virial can be differentiated; this one ({field.GetType().Name}) cannot");
            thermo = new DifferentiableThermo(ev);
            observables.Add(thermo);
            var o = observables.Count - 1;
            // Default scales: the ideal-gas pressure ρ k_B T and k_B T, so that weight 1 means a deviation of that size costs 1.
            if (t.Pressure is { } p)
            {
                var scale = p.Scale ?? state.Count / state.Box.Volume * kt * units.EnergyPerVolumeToPressure;
                terms.Add(new LossTerm("pressure", o, DifferentiableThermo.Pressure, new ScalarTargetLoss(p.Target, p.Weight, scale)));
            }
            if (t.Energy is { } e)
                terms.Add(new LossTerm("energy", o, DifferentiableThermo.Energy, new ScalarTargetLoss(e.Target, e.Weight, e.Scale ?? kt)));
        }
        if (t.Vacf is { } v)
        {
            var (vacf, loss) = Vacf(v, sc, config);
            observables.Add(vacf);
            terms.Add(new LossTerm("vacf", observables.Count - 1, 0, loss));
        }
        return new StateLoss(observables, new CompositeLoss(terms), thermo);
    }

    /// <summary>
    /// The VACF of the window's frames (every sample_every steps) at lags τ_k = k · sample_every · dt, for every lag
    /// the target covers and the window holds, against the target interpolated linearly onto those lags.
    /// </summary>
    private static (DifferentiableVacf, IWindowLoss) Vacf(VacfTermConfig v, StateConfig sc, FitConfig config)
    {
        const string key = "[[state]].vacf_target";
        RdfTarget file;
        try { file = RdfTargetReader.ReadCsv(v.File); }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            throw new ConfigException(key, $"{key} of {sc.Name}: {e.Message}");
        }
        if (file.PartialCount != 1)
            throw new ConfigException(key, $"{key} of {sc.Name}: {v.File} has {file.PartialCount} value columns; expected two columns, t and C(t)");
        var times = file.R;
        if (Math.Abs(times[0]) > 1e-9 * Math.Max(1, Math.Abs(times[^1])))
            throw new ConfigException(key, $"{key} of {sc.Name}: {v.File} starts at t = {times[0]:G6}; it must start at t = 0");
        var options = config.Train.Options;
        var lagTime = options.SampleEvery * config.Model.Integrator.TimeStep;
        var frames = options.WindowSteps / options.SampleEvery;
        var lags = Math.Min(frames, (int)Math.Floor(times[^1] / lagTime * (1 + 1e-9)) + 1);
        if (lags < 2)
            throw new ConfigException(key, $"{key} of {sc.Name}: {v.File} ends at t = {times[^1]:G6}, before the first lag ({lagTime:G6} = sample_every × dt); give a longer target");
        var lagTimes = Enumerable.Range(0, lags).Select(k => Math.Min(k * lagTime, times[^1])).ToArray();
        var target = file.OnGrid(0, lagTimes);
        if (v.Normalised && !(target[0] > 0))
            throw new ConfigException(key, $"{key} of {sc.Name}: C(0) = {target[0]:G6} cannot be normalised");
        IWindowLoss loss = v.Normalised
            ? new NormalisedVacfMseLoss(target.Select(c => c / target[0]).ToArray(), Enumerable.Repeat(v.Weight, lags).ToArray())
            : new VacfMseLoss(target, Enumerable.Repeat(v.Weight, lags).ToArray());
        return (new DifferentiableVacf(lags), loss);
    }
}
