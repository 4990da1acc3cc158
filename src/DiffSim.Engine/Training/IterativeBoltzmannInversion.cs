using System.Diagnostics;
using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Potentials;

namespace DiffSim.Training;

/// <summary>
/// Iterative Boltzmann inversion (Reith, Pütz and Müller-Plathe, J. Comput. Chem. 24, 1624 (2003)), the classic
/// structure-matching baseline for DiffSim's differentiable fits, on the same engine: tabulated pair potentials
/// (<see cref="DifferentiableTableField"/> over <see cref="HermiteTable"/>s), the same integrators and the same
/// plain-histogram g(r).
/// </summary>
/// <remarks>
/// u₀ = −kT ln g* (<see cref="BoltzmannInversion"/>: a repulsive continuation in the core, switched to zero at the
/// cutoff); then, per iteration i, each state point is simulated with u_i (equilibrate, then sample), g_i measured,
/// and u_{i+1} = u_i + Δu with Δu = Σ_s w_s Δu_s / Σ_s w_s, Δu_s = α kT_s ln(g_{i,s}/g*_s) regularised by
/// <see cref="IbiUpdate"/> (plus the pressure ramp of state s when asked). The tables' values are u on the knots and
/// their slopes u₀' plus the derivative of a natural spline through the accumulated Δu. With one state point the
/// fixed point reproduces its g; with several whose g cannot all come from one u(r), the averaged update settles on
/// a compromise that matches none (where DiffSim's multi-state loss descends on a well-defined objective).
/// </remarks>
public sealed class IterativeBoltzmannInversion
{
    private readonly IbiStatePoint[] _states;
    private readonly (int A, int B)[] _pairs;
    private readonly PairGrid[] _grids;
    private readonly DifferentiableTableField[] _fields;
    private readonly PairHistogram[] _histograms;
    private readonly double[] _centres;
    private readonly double[] _parameters;

    public IterativeBoltzmannInversion(IReadOnlyList<string> typeNames, IReadOnlyList<IbiStatePoint> states, Func<int, int, double> cutoff, IbiOptions options)
    {
        if (states.Count == 0) throw new ArgumentException("IBI needs at least one state point");
        if (!states.Any(s => s.Weight > 0)) throw new ArgumentException("IBI needs a state point of positive weight to update the potential from");
        if (options.Iterations < 0 || options.StepsPerIteration < 1 || options.SampleEvery < 1 || options.Equilibrate < 0 || options.InitialEquilibrate < 0)
            throw new ArgumentException("IBI needs iterations ≥ 0, steps_per_iteration ≥ 1, sample_every ≥ 1 and equilibration ≥ 0");
        if (!(options.Damping > 0)) throw new ArgumentException($"the IBI damping must be positive, got {options.Damping}");
        if (!(options.GridSpacing > 0)) throw new ArgumentException($"the IBI grid spacing must be positive, got {options.GridSpacing}");
        if (!(options.Taper is > 0 and < 1)) throw new ArgumentException($"the taper must be a fraction of the cutoff in (0, 1), got {options.Taper}");
        Options = options;
        TypeNames = typeNames;
        _states = states.ToArray();
        var nt = typeNames.Count;
        var pairs = new List<(int, int)>();
        for (var a = 0; a < nt; a++)
            for (var b = a; b < nt; b++) pairs.Add((a, b));
        _pairs = pairs.ToArray();

        var bins = (int)Math.Round(options.RdfMax / options.GridSpacing);
        if (bins < 3) throw new ArgumentException($"the RDF range {options.RdfMax} holds fewer than 3 bins of {options.GridSpacing}");
        _histograms = _states.Select(s => new PairHistogram(bins, options.RdfMax, nt)).ToArray();
        _centres = _histograms[0].Centres();
        foreach (var s in _states)
        {
            if (s.Target.Count != _pairs.Length) throw new ArgumentException($"state {s.Name}: expected {_pairs.Length} target partials, got {s.Target.Count}");
            if (s.Target.Any(t => t.Length != bins)) throw new ArgumentException($"state {s.Name}: each target partial must have one value per bin ({bins})");
            s.State.Box.EnsureFits(options.RdfMax);
        }

        _grids = _pairs.Select(ab => InitialGrid(ab.A, ab.B, cutoff(ab.A, ab.B))).ToArray();
        _parameters = new double[_grids.Sum(g => 2 * g.R.Length)];
        _fields = _states.Select(s =>
        {
            var field = DifferentiableTableField.Create(typeNames, (a, b) =>
            {
                var g = _grids[PairIndex(a, b)];
                return new HermiteTable(g.R[0], g.Spacing, g.Base, g.BaseSlope, g.Cutoff);
            }, options.Skin, Precision.Double, KernelPath.Auto, threads: 1);
            s.State.Box.EnsureFits(field.MaxCutoff);
            return field;
        }).ToArray();
        Apply();
    }

    public IbiOptions Options { get; }

    public IReadOnlyList<string> TypeNames { get; }

    public IReadOnlyList<IbiStatePoint> States => _states;

    /// <summary>Type pairs a ≤ b in row order: the order of targets and of <see cref="IbiIteration.Rdfs"/>' partials.</summary>
    public IReadOnlyList<(int A, int B)> PairOrder => _pairs;

    /// <summary>Bin centres of the measured g(r).</summary>
    public IReadOnlyList<double> Centres => _centres;

    /// <summary>The current potential (u_i) as a force field, e.g. for <see cref="DiffSim.IO.PotentialExport"/>.</summary>
    public IDifferentiableForceField Field => _fields[0];

    /// <summary>Knots of pair (a, b)'s table.</summary>
    public IReadOnlyList<double> Knots(int a, int b) => _grids[PairIndex(a, b)].R;

    /// <summary>Current u of pair (a, b) on its knots.</summary>
    public double[] Potential(int a, int b)
    {
        var g = _grids[PairIndex(a, b)];
        return g.Base.Select((u, k) => u + g.Correction[k]).ToArray();
    }

    /// <summary>
    /// Simulates u₀, …, u_N (N = <see cref="IbiOptions.Iterations"/>), reporting each iteration, and updates between
    /// them; the fields hold u_N at the end, the potential whose g was measured last. Stops early, after a
    /// measurement, when cancelled. <see cref="SimulationDivergedException"/> passes through.
    /// </summary>
    public IReadOnlyList<IbiIteration> Run(Action<IbiIteration>? onIteration = null, CancellationToken cancel = default)
    {
        var records = new List<IbiIteration>();
        var clock = Stopwatch.StartNew();
        StatePointLoop.Run(_states.Length, Options.Threads, k =>
        {
            var sim = new Simulation(_states[k].State, _fields[k], _states[k].Integrator);
            var start = sim.Thermo().Conserved;
            sim.Run(Options.InitialEquilibrate);
            CheckConserved(_states[k], start, sim.Thermo().Conserved, "its first equilibration");
        });
        for (var it = 0; it <= Options.Iterations; it++)
        {
            var (rdfs, pressures) = Measure();
            var rms = _states.Select((s, k) => RmsError(rdfs[k], s.Target)).ToArray();
            var last = it == Options.Iterations || cancel.IsCancellationRequested;
            var correction = last ? 0.0 : Update(rdfs, pressures);
            var record = new IbiIteration(it, rms, pressures, rdfs, correction, clock.Elapsed.TotalSeconds);
            records.Add(record);
            onIteration?.Invoke(record);
            if (last) break;
        }
        return records;
    }

    /// <summary>RMS of g − g* over every partial and bin centre in the error range where the target is finite.</summary>
    public double RmsError(IReadOnlyList<double[]> g, IReadOnlyList<double[]> target)
    {
        double sum = 0;
        var count = 0;
        for (var q = 0; q < g.Count; q++)
            for (var k = 0; k < _centres.Length; k++)
            {
                var c = _centres[k];
                if (c < Options.ErrorRMin || c > Options.ErrorRMax || !double.IsFinite(target[q][k])) continue;
                var d = g[q][k] - target[q][k];
                sum += d * d;
                count++;
            }
        return count > 0 ? Math.Sqrt(sum / count) : double.NaN;
    }

    /// <summary>Each state's run with the current potential: g_ab per pair on the bin centres and the mean pressure.</summary>
    private (double[][][] Rdfs, double[] Pressures) Measure()
    {
        var rdfs = new double[_states.Length][][];
        var pressures = new double[_states.Length];
        StatePointLoop.Run(_states.Length, Options.Threads, k =>
        {
            var s = _states[k];
            var h = _histograms[k];
            h.Reset();
            var sim = new Simulation(s.State, _fields[k], s.Integrator);
            var startConserved = sim.Thermo().Conserved;
            sim.Run(Options.Equilibrate);
            double pressure = 0;
            var samples = 0;
            var lastConserved = startConserved;
            for (var n = 1; n <= Options.StepsPerIteration; n++)
            {
                sim.Step(energy: n % Options.SampleEvery == 0);
                if (n % Options.SampleEvery != 0) continue;
                h.Accumulate(s.State);
                var thermo = sim.Thermo();
                pressure += thermo.Pressure;
                lastConserved = thermo.Conserved;
                samples++;
            }
            CheckConserved(s, startConserved, lastConserved, "one iteration's run");
            rdfs[k] = _pairs.Select(ab => h.Rdf(s.State, ab.A, ab.B)).ToArray();
            pressures[k] = samples > 0 ? pressure / samples : double.NaN;
        });
        return (rdfs, pressures);
    }

    /// <summary>
    /// A table potential is finite at every r, so a time step far too long for it does not blow up: particles pass
    /// through one another and the run returns a gas's RDF and a pressure of 10⁴ as if they were results. The
    /// integrator's conserved quantity gives it away; a drift above k_T a particle over the first equilibration or one
    /// iteration's run (a sound step drifts by some 10⁻⁴ k_T) stops the run as diverged.
    /// </summary>
    private static void CheckConserved(IbiStatePoint s, double start, double last, string run)
    {
        var drift = Math.Abs(last - start) / s.KT;
        if (!(drift <= 1))
            throw new SimulationDivergedException(s.State.Step,
                $"state point {s.Name}: the integrator's conserved quantity drifted by {drift:G3} k_T a particle over {run}, so the time step is too long for the potential");
    }

    /// <summary>Adds the weighted mean of the state points' corrections to every pair's table; returns the largest |Δu|.</summary>
    private double Update(double[][][] rdfs, double[] pressures)
    {
        var max = 0.0;
        var totalWeight = _states.Sum(s => s.Weight);
        for (var q = 0; q < _pairs.Length; q++)
        {
            var grid = _grids[q];
            var r = grid.R;
            var sum = new double[r.Length];
            for (var k = 0; k < _states.Length; k++)
            {
                var s = _states[k];
                if (s.Weight == 0) continue;
                var g = IbiUpdate.Interpolate(_centres, rdfs[k][q], r);
                var target = IbiUpdate.Interpolate(_centres, s.Target[q], r);
                var raw = IbiUpdate.Raw(g, target, s.KT, Options.Damping, Options.Threshold);
                double[]? ramp = null;
                if (Options.PressureCorrection && s.TargetPressure is { } p)
                {
                    var density = s.State.Count / s.State.Box.Volume;
                    var scale = Options.PressureScale ?? 1.0 / (density * s.KT * s.State.Units.EnergyPerVolumeToPressure);
                    var amplitude = IbiUpdate.PressureAmplitude(pressures[k], p, s.KT, scale);
                    ramp = r.Select(x => IbiUpdate.PressureRamp(x, grid.Cutoff, amplitude)).ToArray();
                }
                var du = IbiUpdate.Regularise(raw, r, Options.SmoothingPasses, grid.TaperFrom, ramp);
                for (var j = 0; j < r.Length; j++) sum[j] += s.Weight / totalWeight * du[j];
            }
            for (var j = 0; j < r.Length; j++)
            {
                grid.Correction[j] += sum[j];
                max = Math.Max(max, Math.Abs(sum[j]));
            }
        }
        Apply();
        return max;
    }

    /// <summary>Writes u = u₀ + ΣΔu (values) and u₀' + (spline of ΣΔu)' (slopes) into θ and every state's field.</summary>
    private void Apply()
    {
        var offset = 0;
        foreach (var g in _grids)
        {
            var n = g.R.Length;
            var spline = new DiffSim.Numerics.CubicSpline(g.R, g.Correction);
            for (var k = 0; k < n; k++)
            {
                _parameters[offset + k] = g.Base[k] + g.Correction[k];
                _parameters[offset + n + k] = g.BaseSlope[k] + spline.Derivative(g.R[k]);
            }
            offset += 2 * n;
        }
        foreach (var f in _fields) f.SetParameters(_parameters);
    }

    /// <summary>
    /// u₀ of pair (a, b): the weighted mean over state points of weight &gt; 0 of each one's Boltzmann inversion at its
    /// own kT, switched off over the last <see cref="IbiOptions.Taper"/> of the cutoff, on knots from half the
    /// smallest core radius (where pairs never go) to the cutoff.
    /// </summary>
    private PairGrid InitialGrid(int a, int b, double cutoff)
    {
        if (!(cutoff > 0) || cutoff > Options.RdfMax + 1e-9)
            throw new ArgumentException($"pair {TypeNames[a]}-{TypeNames[b]}: the cutoff {cutoff} must be positive and within the RDF range {Options.RdfMax}");
        var q = PairIndex(a, b);
        var taperFrom = cutoff * (1 - Options.Taper);
        var weighted = _states.Where(s => s.Weight > 0).ToArray();
        var inversions = weighted.Select(s =>
        {
            var t = s.Target[q];
            var keep = Enumerable.Range(0, t.Length).Where(k => double.IsFinite(t[k])).ToArray();
            if (keep.Length == 0 || _centres[keep[^1]] < cutoff - 0.5 * Options.GridSpacing - 1e-9)
                throw new ArgumentException($"state {s.Name}: the target of pair {TypeNames[a]}-{TypeNames[b]} must reach the cutoff {cutoff}");
            return new BoltzmannInversion(keep.Select(k => _centres[k]).ToArray(), keep.Select(k => t[k]).ToArray(), s.KT, taperFrom: taperFrom, cutoff: cutoff);
        }).ToArray();
        var r0 = Math.Max(Options.GridSpacing, 0.5 * inversions.Min(i => i.CoreRadius));
        var (n, spacing) = HermiteTable.Grid(r0, cutoff, Options.GridSpacing);
        var r = Enumerable.Range(0, n).Select(k => HermiteTable.KnotAt(r0, spacing, n, k, cutoff)).ToArray();
        var total = weighted.Sum(s => s.Weight);
        var u = new double[n];
        var du = new double[n];
        // The last knot is the cutoff, where u₀ is switched off; the target's last centre may sit half a bin short of it.
        for (var k = 0; k < n - 1; k++)
        {
            var x = Math.Min(r[k], inversions.Min(i => i.LastPoint));
            for (var s = 0; s < inversions.Length; s++)
            {
                var w = weighted[s].Weight / total;
                u[k] += w * inversions[s].Energy(x, out var dk);
                du[k] += w * dk;
            }
        }
        return new PairGrid(r, spacing, u, du, new double[n], cutoff, taperFrom);
    }

    private int PairIndex(int a, int b)
    {
        if (a > b) (a, b) = (b, a);
        return Array.IndexOf(_pairs, (a, b));
    }

    /// <summary>One pair's knots and their spacing, u₀ and u₀' on them, the accumulated correction, the cutoff and the taper's start.</summary>
    private sealed record PairGrid(double[] R, double Spacing, double[] Base, double[] BaseSlope, double[] Correction, double Cutoff, double TaperFrom);
}
