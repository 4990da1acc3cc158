using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Systems;
using DiffSim.Tests.Engine;

namespace DiffSim.Tests.Adjoint;

/// <summary>
/// The reverse pass's half lists built from the RDF frames' pairs (the frame nearest each state) against lists of
/// the field's own searches: the same gradient to round-off (the lists group the same pairs differently), in stored
/// and checkpointed windows, and in a stored window no search of its own.
/// </summary>
public class FramePairListTests
{
    private const int Steps = 40;
    private const int SampleEvery = 5;

    private static State Liquid() => TestSystems.LjLiquid(4, seed: 11, meltSteps: 200);

    private static DifferentiablePairField<SmoothSoftSphere> Field()
    {
        var table = PairTable<SmoothSoftSphere>.Single(new SmoothSoftSphere(1.0, 1.0), SmoothSoftSphere.Cutoff, shift: false);
        return new DifferentiablePairField<SmoothSoftSphere>(new PairForceField<SmoothSoftSphere>(table, 0.3), ["A"]);
    }

    private static double Loss(IReadOnlyList<IWindowObservable> obs, double[][] d)
    {
        var v = obs[0].Value;
        var loss = 0.0;
        for (var k = 0; k < v.Length; k++)
        {
            var e = v[k] - 1.0;
            d[0][k] = 2 * e * (1 + 0.1 * k);
            loss += e * e * (1 + 0.1 * k);
        }
        return loss;
    }

    /// <summary>The RDF (search range 3.2, longer than the list's 2.8), hidden from the window as a frame pair source when <paramref name="offer"/> is false.</summary>
    private static (WindowResult Result, int Builds) Run(State start, bool offer, CheckpointPolicy policy)
    {
        var field = Field();
        var rdf = new SmearedRdf(1, 40, 0.5, 3.0, 0.04);
        IWindowObservable observable = offer ? rdf : new Hidden(rdf);
        var result = new WindowGradient(field, new NoseHooverChain(0.005, 1.0, 0.05, 3)).Run(start.Clone(), Steps, SampleEvery, [observable], Loss, policy);
        return (result, field.ReverseListBuilds);
    }

    [Fact]
    public void FrameListsGiveTheGradientOfSearchedLists()
    {
        var start = Liquid();
        var (searched, searches) = Run(start, offer: false, CheckpointPolicy.StoreAll);
        var (framed, builds) = Run(start, offer: true, CheckpointPolicy.StoreAll);
        var sqrt = Run(start, offer: true, new CheckpointPolicy { MemoryBudgetBytes = 20 * start.Bytes }).Result;
        var odd = Run(start, offer: true, new CheckpointPolicy { Interval = 6 }).Result;
        // One build a frame, each from the frame's pairs, serves every state of the window (the list built for the
        // forward's first force evaluation is not the reverse pass's).
        Assert.Equal(Steps / SampleEvery, builds);
        Assert.True(searches > 1);
        for (var p = 0; p < 2; p++)
        {
            var g = searched.ParameterGradient[p];
            Assert.True(Math.Abs(g) > 1e-6);
            Assert.Equal(g, framed.ParameterGradient[p], 1e-11 * Math.Abs(g));
            Assert.Equal(g, sqrt.ParameterGradient[p], 1e-9 * Math.Abs(g));
            Assert.Equal(g, odd.ParameterGradient[p], 1e-9 * Math.Abs(g));
        }
        for (var i = 0; i < start.Count; i++)
            Assert.Equal(searched.InitialStateGradient.X[i], framed.InitialStateGradient.X[i], 1e-11 * (1 + Math.Abs(searched.InitialStateGradient.X[i])));
    }

    /// <summary>An observable passed through, without the frame pairs its inner one offers.</summary>
    private sealed class Hidden(IWindowObservable inner) : IWindowObservable
    {
        public int Length => inner.Length;
        public void Reset() => inner.Reset();
        public void Accumulate(int frame, State state) => inner.Accumulate(frame, state);
        public int Frames => inner.Frames;
        public ReadOnlySpan<double> Value => inner.Value;
        public void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient) => inner.Backward(frame, state, dLossdValue, gradient);
    }
}
