using DiffSim.Forces;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Potentials.Neural;
using DiffSim.Systems;
using DiffSim.Training;

namespace DiffSim.Adjoint;

/// <summary>
/// A neural pair potential per type pair a ≤ b (<see cref="NeuralPairModel"/>: Gaussian basis, MLP, fixed prior,
/// cutoff switch; optionally u(r; T) = E(r) − T·S(r)), simulated through <see cref="HermiteTable"/>s: θ are the
/// network weights, (θ_E, θ_S) per pair for the temperature-dependent model, concatenated over pairs in row order.
/// </summary>
/// <remarks>
/// <see cref="SetParameters"/> evaluates each network and its r-derivative on the table knots once and fills the
/// tables; the MD steps and their adjoint then run on the tables (<see cref="DifferentiableTableField"/>), which
/// accumulate ∂L/∂(y_k, m_k) per knot. <see cref="FinishGradient"/> backpropagates that through the networks once
/// per window: ∂L/∂θ = Σ_k ∂L/∂y_k ∂u(r_k)/∂θ + ∂L/∂m_k ∂u'(r_k)/∂θ. The gradient is thus exact for the tabulated
/// model that is simulated; the table differs from the network by the interpolation error of the grid.
/// For the temperature-dependent model, give each state point its own field built with its temperature and the same
/// θ: the gradients add up in the trainer. Not thread-safe: one field per state point, as the trainer does.
/// </remarks>
public sealed partial class NeuralPairField : IDifferentiableForceField, IFramePairUser
{
    private readonly NeuralPairModel[] _models;
    private readonly int[] _thetaOffset;
    private readonly double[] _knots;
    private readonly double[] _theta;
    private readonly double[] _tableParameters;
    private readonly int _knotCount;

    public NeuralPairField(IReadOnlyList<string> typeNames, NeuralPairOptions options, double skin = 0.3,
        Precision precision = Precision.Double, KernelPath path = KernelPath.Auto, int threads = 1)
    {
        Options = options;
        var nt = typeNames.Count;
        var r0 = options.ResolvedGridStart;
        var (n, delta) = HermiteTable.Grid(r0, options.Cutoff, options.ResolvedGridSpacing);
        _knotCount = n;
        _knots = Enumerable.Range(0, n).Select(k => HermiteTable.KnotAt(r0, delta, n, k, options.Cutoff)).ToArray();
        Tables = DifferentiableTableField.Create(typeNames,
            (_, _) => new HermiteTable(r0, delta, new double[n], new double[n], options.Cutoff), skin, precision, path, threads);

        var pairs = Tables.PairCount;
        _models = new NeuralPairModel[pairs];
        _thetaOffset = new int[pairs + 1];
        var names = new List<string>();
        for (var slot = 0; slot < pairs; slot++)
        {
            _models[slot] = new NeuralPairModel(options);
            _thetaOffset[slot + 1] = _thetaOffset[slot] + _models[slot].ParameterCount;
            var (a, b) = Tables.PairOfSlot(slot);
            var prefix = $"nn[{typeNames[a]}-{typeNames[b]}].";
            for (var p = 0; p < _models[slot].ParameterCount; p++) names.Add(prefix + _models[slot].ParameterName(p));
        }
        ParameterNames = names;
        _theta = new double[ParameterCount];
        _tableParameters = new double[Tables.ParameterCount];
        SetParameters(InitialParameters());
    }

    public NeuralPairOptions Options { get; }

    /// <summary>The tables the simulation runs on.</summary>
    public DifferentiableTableField Tables { get; }

    /// <summary>Table knots r_k, shared by every pair.</summary>
    public ReadOnlySpan<double> Knots => _knots;

    public double MaxCutoff => Tables.MaxCutoff;
    public int ListBuilds => Tables.ListBuilds;
    public int ParameterCount => _thetaOffset[^1];
    public IReadOnlyList<string> ParameterNames { get; }
    public int TypeCount => Tables.TypeCount;
    public int AccumulatorLength => Tables.AccumulatorLength;

    public void InvalidateNeighbours() => Tables.InvalidateNeighbours();

    /// <summary>The model of type pair (a, b).</summary>
    public NeuralPairModel Model(int a, int b) => _models[Tables.SlotOf(a, b)];

    /// <summary>The model's slice of θ for type pair (a, b).</summary>
    public Range ParameterRange(int a, int b)
    {
        var slot = Tables.SlotOf(a, b);
        return _thetaOffset[slot].._thetaOffset[slot + 1];
    }

    /// <summary>The deterministic initial θ for <see cref="NeuralPairOptions.Seed"/> (see <see cref="NeuralPairModel.Initialise"/>).</summary>
    public double[] InitialParameters()
    {
        var theta = new double[ParameterCount];
        for (var slot = 0; slot < _models.Length; slot++)
            _models[slot].Initialise(theta.AsSpan(_thetaOffset[slot].._thetaOffset[slot + 1]), Options.Seed, (ulong)slot);
        return theta;
    }

    public ForceResult Compute(State state) => Tables.Compute(state);

    public bool ComputeForces(State state) => Tables.ComputeForces(state);

    public double Cutoff(int a, int b) => Tables.Cutoff(a, b);

    /// <summary>u and du/dr of the network itself (the table differs from it by the interpolation error only).</summary>
    public double PairEnergy(int a, int b, double r, out double derivative)
    {
        var slot = Tables.SlotOf(a, b);
        return _models[slot].Evaluate(_theta.AsSpan(_thetaOffset[slot].._thetaOffset[slot + 1]), r, out derivative);
    }

    public void GetParameters(Span<double> destination) => _theta.CopyTo(destination);

    public void SetParameters(ReadOnlySpan<double> parameters)
    {
        if (parameters.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} parameters, got {parameters.Length}");
        parameters.CopyTo(_theta);
        var n = _knotCount;
        for (var slot = 0; slot < _models.Length; slot++)
        {
            var o = Tables.SlotOffset(slot);
            _models[slot].Fill(_theta.AsSpan(_thetaOffset[slot].._thetaOffset[slot + 1]), _knots,
                _tableParameters.AsSpan(o, n), _tableParameters.AsSpan(o + n, n));
        }
        Tables.SetParameters(_tableParameters);
    }

    void IFramePairUser.OfferFramePairs(PairSearch pairs, State frameState, IReadOnlyList<State>? served) => ((IFramePairUser)Tables).OfferFramePairs(pairs, frameState, served);

    public void Backward(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
        => Tables.Backward(state, wx, wy, wz, positionAdjoint, accumulator);

    public void FinishGradient(ReadOnlySpan<double> accumulator, Span<double> parameterGradient)
    {
        parameterGradient.Clear();
        var n = _knotCount;
        for (var slot = 0; slot < _models.Length; slot++)
        {
            var o = Tables.SlotOffset(slot);
            var range = _thetaOffset[slot].._thetaOffset[slot + 1];
            _models[slot].Backward(_theta.AsSpan(range), _knots, accumulator.Slice(o, n), accumulator.Slice(o + n, n), parameterGradient[range]);
        }
    }

    /// <summary>
    /// Least-squares pre-fit of every pair's model to a target u₀_ab(r) (e.g. <see cref="BoltzmannInversion"/>) on the
    /// table knots where u₀ ≤ <paramref name="maxEnergy"/> (the core, where the prior rules, is left out): Adam on
    /// L = mean_k (u(r_k) − u₀(r_k))², starting from <paramref name="initial"/>. Leaves the field at the fitted θ and
    /// returns it, with the final root-mean-square residual over the fitted knots of all pairs.
    /// </summary>
    public (double[] Parameters, double RmsError) Prefit(ReadOnlySpan<double> initial, Func<int, int, double, double> target, double maxEnergy,
        int steps = 300, double learningRate = 1e-2)
    {
        if (steps < 0) throw new ArgumentException($"steps must be non-negative, got {steps}");
        var theta = initial.ToArray();
        var n = _knotCount;
        var targets = new double[_models.Length][];
        var weights = new double[_models.Length][];
        var fitted = 0;
        for (var slot = 0; slot < _models.Length; slot++)
        {
            var (a, b) = Tables.PairOfSlot(slot);
            targets[slot] = _knots.Select(r => target(a, b, r)).ToArray();
            weights[slot] = targets[slot].Select(u => double.IsFinite(u) && u <= maxEnergy ? 1.0 : 0.0).ToArray();
            fitted += (int)weights[slot].Sum();
        }
        if (fitted == 0) throw new ArgumentException($"no knot has a target energy at or below {maxEnergy}: nothing to fit");

        var adam = new Adam(theta.Length);
        var free = Enumerable.Repeat(true, theta.Length).ToArray();
        var gradient = new double[theta.Length];
        var values = new double[n];
        var slopes = new double[n];
        var a_ = new double[n];
        var zero = new double[n];
        double Residual(bool backward)
        {
            var sum = 0.0;
            if (backward) Array.Clear(gradient);
            for (var slot = 0; slot < _models.Length; slot++)
            {
                var range = _thetaOffset[slot].._thetaOffset[slot + 1];
                _models[slot].Fill(theta.AsSpan(range), _knots, values, slopes);
                for (var k = 0; k < n; k++)
                {
                    var e = weights[slot][k] * (values[k] - targets[slot][k]);
                    sum += e * e;
                    a_[k] = 2 * e / fitted;
                }
                if (backward) _models[slot].Backward(theta.AsSpan(range), _knots, a_, zero, gradient.AsSpan(range));
            }
            return sum / fitted;
        }
        for (var step = 0; step < steps; step++)
        {
            Residual(backward: true);
            adam.Update(theta, gradient, learningRate, free);
        }
        var rms = Math.Sqrt(Residual(backward: false));
        SetParameters(theta);
        return (theta, rms);
    }
}
