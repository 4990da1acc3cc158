using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>The reverse pass under the binomial schedule (<see cref="BinomialSchedule"/>, <see cref="CheckpointPolicy.Binomial"/>).</summary>
/// <remarks>
/// State 0 is kept in the first checkpoint, the s free slots are used as a stack (the segment reversed with f free
/// slots stores its next checkpoint in slot s − f), and two working states hold the step's "after" state and the
/// state being simulated again. The first pass already stores the checkpoints that the reverse pass places first,
/// those of the window's end, which it reaches in order. A frame's pairs are offered to the field when the reverse
/// pass reaches the frame's step: other states are not at hand.
/// </remarks>
public sealed partial class WindowGradient
{
    private State[] _slots = [];
    private State? _work, _after;
    private long _recomputed;
    private (IReadOnlyList<IWindowObservable> Observables, double[][] DLoss, AdjointState Adjoint, int SampleEvery) _sweep;

    private WindowResult RunBinomial(State state, int steps, int sampleEvery, IReadOnlyList<IWindowObservable> observables, WindowLoss loss, int slots)
    {
        EnsureBinomialStorage(state, slots);
        var firstPass = new Dictionary<int, int>();
        for (int a = 0, free = slots; steps - a > 1 && free > 0; free--)
        {
            a += BinomialSchedule.Split(steps - a, free);
            firstPass[a] = slots - free;
        }
        var last = Forward(state, steps, sampleEvery, observables, (n, s) =>
        {
            if (n == 0) s.CopyTo(_checkpoints[0]);
            else if (firstPass.TryGetValue(n, out var slot)) s.CopyTo(_slots[slot]);
        });

        var dLoss = observables.Select(o => new double[o.Length]).ToArray();
        var value = loss(observables, dLoss);

        var adjoint = new AdjointState(state.Count, Field.AccumulatorLength);
        _sweep = (observables, dLoss, adjoint, sampleEvery);
        _recomputed = 0;
        state.CopyTo(_after!);
        Reverse(0, _checkpoints[0], steps, slots, slots, firstPassStored: true);
        _sweep = default;
        adjoint.Flush(_checkpoints[0], Field);
        var parameterGradient = new double[Field.ParameterCount];
        Field.FinishGradient(adjoint.Accumulator, parameterGradient);
        return new WindowResult(value, parameterGradient, adjoint.Gradient, last, 0, (slots + 3L) * state.Bytes) { RecomputedSteps = _recomputed };
    }

    /// <summary>
    /// Reverses steps b, b − 1, …, a + 1, with state a in <paramref name="atA"/>, state b in the "after" state and
    /// <paramref name="free"/> free slots of <paramref name="slots"/>; leaves state a in the "after" state.
    /// </summary>
    private void Reverse(int a, State atA, int b, int free, int slots, bool firstPassStored)
    {
        if (b - a == 1 || free == 0)
        {
            for (var n = b; n > a; n--)
            {
                var before = atA;
                if (n - 1 > a)
                {
                    atA.CopyTo(_work!);
                    Advance(_work!, n - 1 - a);
                    before = _work!;
                }
                ReverseStep(n, before, _after!);
                if (ReferenceEquals(before, _work)) (_after, _work) = (_work, _after);
                else before.CopyTo(_after!);
            }
            return;
        }
        var m = a + BinomialSchedule.Split(b - a, free);
        var slot = _slots[slots - free];
        if (!firstPassStored)
        {
            atA.CopyTo(slot);
            Advance(slot, m - a);
        }
        Reverse(m, slot, b, free - 1, slots, firstPassStored);
        Reverse(a, atA, m, free, slots, firstPassStored: false);
    }

    /// <summary>The frame's ∂L/∂(x, v) at step n, the frame's pairs offered to the field, and the integrator's adjoint step.</summary>
    private void ReverseStep(int n, State before, State after)
    {
        var (observables, dLoss, adjoint, sampleEvery) = _sweep;
        if (n % sampleEvery == 0)
        {
            var frame = n / sampleEvery - 1;
            for (var o = 0; o < observables.Count; o++) BackwardFrame(observables[o], frame, after, dLoss[o], adjoint);
            if (Field is IFramePairUser user) OfferFrame(user, observables, frame, after, served: null);
        }
        Integrator.AdjointStep(before, after, adjoint, Field);
    }

    private void Advance(State state, int steps)
    {
        for (var k = 0; k < steps; k++)
        {
            if (!Integrator.StepForces(state, Field)) throw new SimulationDivergedException(state.Step, "a force is not finite in a recomputed segment");
            _recomputed++;
        }
    }

    private void EnsureBinomialStorage(State template, int slots)
    {
        if (_checkpoints.Count == 0 || _checkpoints[0].Count != template.Count) _checkpoints = [template.Clone()];
        if (_slots.Length != slots || (slots > 0 && _slots[0].Count != template.Count))
            _slots = Enumerable.Range(0, slots).Select(_ => template.Clone()).ToArray();
        if (_work is null || _work.Count != template.Count) (_work, _after) = (template.Clone(), template.Clone());
    }
}
