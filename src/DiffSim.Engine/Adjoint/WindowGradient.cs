using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>Computes a window's loss and, from ∂L/∂O of each observable, fills the given arrays with ∂L/∂O.</summary>
public delegate double WindowLoss(IReadOnlyList<IWindowObservable> observables, double[][] dLossdValue);

/// <summary>The outcome of one window: loss, ∂L/∂θ, ∂L/∂(initial state), and what the reverse pass held.</summary>
/// <remarks><see cref="CheckpointInterval"/> is 0 under the binomial schedule.</remarks>
public sealed record WindowResult(double Loss, double[] ParameterGradient, PhaseSpaceGradient InitialStateGradient,
    ForceResult FinalForces, int CheckpointInterval, long PeakStateBytes)
{
    /// <summary>Steps the reverse pass simulated again from checkpoints.</summary>
    public long RecomputedSteps { get; init; }
}

/// <summary>
/// Differentiates a loss on the frames of a trajectory window with respect to the potential parameters by the exact
/// discrete adjoint of the integrator, with checkpointed memory (see <see cref="CheckpointPolicy"/>).
/// </summary>
/// <remarks>
/// Forward: T steps from the given state, frames every <c>sampleEvery</c> steps (steps sampleEvery, 2·sampleEvery,
/// …, T) fed to the observables, every k-th state stored. Reverse: each segment is re-simulated from its checkpoint
/// into a buffer (nothing is re-simulated when k = 1), then walked backwards: the frame's ∂L/∂(x, v) is added to the
/// adjoint, then <see cref="IIntegrator.AdjointStep"/> carries it to the previous state. The state passed in ends at
/// step T.
/// </remarks>
public sealed partial class WindowGradient(IDifferentiableForceField field, IIntegrator integrator)
{
    private readonly State[] _pair = new State[2];
    // The states a reverse list offered from a frame is to serve (OfferNearestFrame).
    private readonly List<State> _served = [];
    private State[] _buffer = [];
    private List<State> _checkpoints = [];

    public IDifferentiableForceField Field { get; } = field;
    public IIntegrator Integrator { get; } = integrator;

    public WindowResult Run(State state, int steps, int sampleEvery, IReadOnlyList<IWindowObservable> observables, WindowLoss loss, CheckpointPolicy? policy = null)
    {
        if (sampleEvery < 1) throw new ArgumentException($"sample interval must be at least 1 step, got {sampleEvery}");
        policy ??= CheckpointPolicy.Default;
        if (policy.Binomial) return RunBinomial(state, steps, sampleEvery, observables, loss, policy.ResolveSlots(steps, state.Bytes));
        var interval = policy.Resolve(steps, state.Bytes);
        EnsureStorage(state, steps, interval);

        // Forward, keeping checkpoints at steps 0, k, 2k, ...; every state is simulated in its place when all are kept.
        var last = Forward(state, steps, sampleEvery, observables, (n, s) =>
        {
            if (n % interval == 0 && n < steps && !ReferenceEquals(s, _checkpoints[n / interval])) s.CopyTo(_checkpoints[n / interval]);
        }, interval == 1 ? _checkpoints : null);

        var dLoss = observables.Select(o => new double[o.Length]).ToArray();
        var value = loss(observables, dLoss);

        var adjoint = new AdjointState(state.Count, Field.AccumulatorLength);
        var offered = -1;
        var segments = (steps + interval - 1) / interval;
        for (var c = segments - 1; c >= 0; c--)
        {
            var start = c * interval;
            var end = Math.Min(steps, start + interval);
            var states = interval == 1 ? Stored(c, steps, state) : Recompute(c, start, end);
            for (var n = end; n > start; n--)
            {
                var here = states[n - start];
                if (n % sampleEvery == 0)
                    for (var o = 0; o < observables.Count; o++) BackwardFrame(observables[o], n / sampleEvery - 1, here, dLoss[o], adjoint);
                offered = OfferNearestFrame(observables, n, sampleEvery, steps, offered, state, states, start, end, interval);
                Integrator.AdjointStep(states[n - 1 - start], here, adjoint, Field);
            }
        }
        adjoint.Flush(_checkpoints[0], Field);
        var parameterGradient = new double[Field.ParameterCount];
        Field.FinishGradient(adjoint.Accumulator, parameterGradient);

        var held = CheckpointPolicy.StatesHeld(steps, interval) * state.Bytes;
        return new WindowResult(value, parameterGradient, adjoint.Gradient, last, interval, held) { RecomputedSteps = interval == 1 ? 0 : steps };
    }

    /// <summary>
    /// Offers the field the pairs an observable found at the frame nearest step <paramref name="n"/>, once a frame: the
    /// field builds its reverse half list from them at the frame's positions, so that one list serves the states up
    /// to half a sampling interval either side of the frame without a search. Those states are at hand (stored, or in
    /// the segment's buffer), so they go with the offer, and the list reaches only as far as they move. Returns the
    /// frame offered last. In a checkpointed window only frames within the segment at hand are offered, to serve the
    /// segment's states.
    /// </summary>
    private int OfferNearestFrame(IReadOnlyList<IWindowObservable> observables, int n, int sampleEvery, int steps, int offered,
        State live, State[] states, int start, int end, int interval)
    {
        var frames = steps / sampleEvery;
        if (frames == 0 || Field is not IFramePairUser user) return offered;
        var frame = NearestFrame(n, sampleEvery, frames);
        if (frame == offered) return offered;
        var at = (frame + 1) * sampleEvery;
        State? At(int m) => interval == 1 ? (m < steps ? _checkpoints[m] : live) : m >= start && m <= end ? states[m - start] : null;
        var frameState = At(at);
        if (frameState is null) return offered;
        // The reverse pass evaluates the field at every state from n down to the segment's start (state 0 included).
        _served.Clear();
        for (var m = interval == 1 ? 0 : start; m <= n; m++)
            if (NearestFrame(m, sampleEvery, frames) == frame) _served.Add(At(m)!);
        return OfferFrame(user, observables, frame, frameState, _served) ? frame : offered;
    }

    /// <summary>The frame whose pairs serve step <paramref name="n"/>: the nearest, the first for the steps before it, the last after it.</summary>
    private static int NearestFrame(int n, int sampleEvery, int frames) => Math.Clamp((n + sampleEvery / 2) / sampleEvery, 1, frames) - 1;

    /// <summary>
    /// Offers the field the pairs that the first observable keeping them found at <paramref name="frame"/>, for the
    /// states <paramref name="served"/> if they are known; false when no observable holds them.
    /// </summary>
    private static bool OfferFrame(IFramePairUser user, IReadOnlyList<IWindowObservable> observables, int frame, State frameState, IReadOnlyList<State>? served)
    {
        foreach (var o in observables)
            if (o is IFramePairSource source && source.FramePairs(frame, frameState) is { } pairs)
            {
                user.OfferFramePairs(pairs, frameState, served);
                return true;
            }
        return false;
    }

    /// <summary>A frame's ∂L/∂(x, v), and ∂L/∂ψ for an observable that depends on the parameters directly.</summary>
    private static void BackwardFrame(IWindowObservable observable, int frame, State state, double[] dLoss, AdjointState adjoint)
    {
        if (observable is IParameterDependentObservable direct) direct.Backward(frame, state, dLoss, adjoint.Gradient, adjoint.Accumulator);
        else observable.Backward(frame, state, dLoss, adjoint.Gradient);
    }

    /// <summary>
    /// The forward half of <see cref="Run"/> alone: the window's loss with a zero gradient, for state points that are
    /// monitored (validation) but not trained on.
    /// </summary>
    public WindowResult Evaluate(State state, int steps, int sampleEvery, IReadOnlyList<IWindowObservable> observables, WindowLoss loss)
    {
        if (sampleEvery < 1) throw new ArgumentException($"sample interval must be at least 1 step, got {sampleEvery}");
        var last = Forward(state, steps, sampleEvery, observables, keep: null);
        var dLoss = observables.Select(o => new double[o.Length]).ToArray();
        var value = loss(observables, dLoss);
        return new WindowResult(value, new double[Field.ParameterCount], new PhaseSpaceGradient(state.Count), last, steps, state.Bytes);
    }

    /// <summary>
    /// Simulates the window, feeding frames to the observables and offering each state n = 0 … T to
    /// <paramref name="keep"/>, which stores the checkpoints. Observables that can read a frame's pairs from another are
    /// pointed at the first that keeps them (an RDF listed before them has them in time). The parameters may have
    /// changed since the state's forces were computed (a training update), so they are recomputed first, from a fresh
    /// neighbour list. With <paramref name="stored"/> (states 0 … T − 1 of a window that keeps them all), step n &lt; T
    /// is simulated from state n − 1 into state n (<see cref="IIntegrator.StepForces(State, State, IForceField)"/>),
    /// which saves copying each state once simulated; the last step is taken in <paramref name="state"/>.
    /// </summary>
    private ForceResult Forward(State state, int steps, int sampleEvery, IReadOnlyList<IWindowObservable> observables, Action<int, State>? keep,
        IReadOnlyList<State>? stored = null)
    {
        foreach (var o in observables) o.Reset();
        var source = observables.OfType<IFramePairSource>().FirstOrDefault();
        foreach (var o in observables)
            if (o is IFramePairReader reader) reader.ReadPairsFrom(source);
        Integrator.Initialise(state);
        Field.InvalidateNeighbours();
        if (!Field.ComputeForces(state)) throw new SimulationDivergedException(state.Step, "a force is not finite at the window's start");
        keep?.Invoke(0, state);
        var frame = 0;
        var last = default(ForceResult);
        for (var n = 1; n <= steps; n++)
        {
            var current = state;
            // Only the window's last energy is reported; the frames' observables compute their own.
            if (n == steps)
            {
                stored?[n - 1].CopyTo(state);
                last = Integrator.Step(state, Field);
                if (!double.IsFinite(last.Energy)) throw new SimulationDivergedException(state.Step, $"the potential energy is {last.Energy}");
            }
            else if (stored is not null)
            {
                current = stored[n];
                if (!Integrator.StepForces(stored[n - 1], current, Field)) throw new SimulationDivergedException(current.Step, "a force is not finite");
            }
            else if (!Integrator.StepForces(state, Field)) throw new SimulationDivergedException(state.Step, "a force is not finite");
            if (n % sampleEvery == 0)
            {
                foreach (var o in observables) o.Accumulate(frame, current);
                frame++;
            }
            keep?.Invoke(n, current);
        }
        return last;
    }

    /// <summary>States c and c + 1 of a window whose every state was stored (the last one is the live state).</summary>
    private State[] Stored(int c, int steps, State state)
    {
        _pair[0] = _checkpoints[c];
        _pair[1] = c + 1 < steps ? _checkpoints[c + 1] : state;
        return _pair;
    }

    /// <summary>Re-simulates segment c, steps start..end, from its checkpoint into the buffer.</summary>
    private State[] Recompute(int c, int start, int end)
    {
        _checkpoints[c].CopyTo(_buffer[0]);
        for (var n = start + 1; n <= end; n++) Integrator.StepForces(_buffer[n - 1 - start], _buffer[n - start], Field);
        return _buffer;
    }

    private void EnsureStorage(State template, int steps, int interval)
    {
        var checkpoints = (steps + interval - 1) / interval;
        if (_checkpoints.Count > 0 && _checkpoints[0].Count != template.Count) _checkpoints.Clear();
        while (_checkpoints.Count < checkpoints) _checkpoints.Add(template.Clone());
        if (_checkpoints.Count > checkpoints) _checkpoints.RemoveRange(checkpoints, _checkpoints.Count - checkpoints);
        var buffered = interval == 1 ? 0 : interval + 1;
        if (_buffer.Length != buffered || (buffered > 0 && _buffer[0].Count != template.Count))
            _buffer = Enumerable.Range(0, buffered).Select(_ => template.Clone()).ToArray();
    }
}
