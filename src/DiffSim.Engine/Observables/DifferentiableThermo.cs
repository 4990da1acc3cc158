using DiffSim.Adjoint;
using DiffSim.Systems;

namespace DiffSim.Observables;

/// <summary>
/// The window averages of the pressure and of the potential energy per particle: O = (P, U/N), with
/// P = (2 KE + W)/(3V) (in the run's pressure unit, as <see cref="Simulation.Thermo"/> reports it), W the pair virial
/// and U the potential energy of the field (shifted as its forces are).
/// </summary>
/// <remarks>
/// Both depend on θ directly as well as through the trajectory, so the reverse pass goes through
/// <see cref="IParameterDependentObservable.Backward"/>: ∂P/∂vᵢ = 2 mᵢ vᵢ/(3V) (kinetic part), and the field's
/// <see cref="IDifferentiableEnergyVirial.EnergyAndVirialBackward"/> with weights (∂L/∂U, ∂L/∂W) for the rest.
/// Nothing is stored per frame: the reverse pass recomputes the pair sums from the state it is handed, over the frame's
/// pairs as an RDF of the same window keeps them (<see cref="IFramePairReader"/>) when they reach the field's cutoff,
/// else over one search of its own per pass. The field must be the one the window simulates, so that U, W and the
/// accumulator are those of the simulated θ.
/// </remarks>
public sealed class DifferentiableThermo(IDifferentiableEnergyVirial field) : IParameterDependentObservable, IFramePairReader
{
    /// <summary>Index of the pressure in <see cref="Value"/>.</summary>
    public const int Pressure = 0;

    /// <summary>Index of the potential energy per particle in <see cref="Value"/>.</summary>
    public const int Energy = 1;

    private readonly double[] _sum = new double[2];
    private readonly double[] _value = new double[2];
    private readonly PairSearch _search = new();
    private IFramePairSource? _pairSource;

    public IDifferentiableEnergyVirial Field { get; } = field;

    public int Length => 2;

    public int Frames { get; private set; }

    /// <summary>Pair searches of its own so far (frames whose pairs no other observable held).</summary>
    internal int Searches { get; private set; }

    void IFramePairReader.ReadPairsFrom(IFramePairSource? source) => _pairSource = source;

    public ReadOnlySpan<double> Value
    {
        get
        {
            if (Frames == 0) throw new InvalidOperationException("thermo average has no frames yet");
            for (var k = 0; k < 2; k++) _value[k] = _sum[k] / Frames;
            return _value;
        }
    }

    public void Reset()
    {
        Array.Clear(_sum);
        Frames = 0;
    }

    public void Accumulate(int frame, State state)
    {
        if (frame != Frames) throw new ArgumentException($"thermo average expects frame {Frames} next, got frame {frame}");
        var (energy, virial) = Field is IEnergyVirialFromPairs field
            ? field.EnergyVirialPass(Pairs(frame, state, field.MaxCutoff), state, 0, 0, null, [])
            : Field.EnergyAndVirial(state);
        _sum[Pressure] += (2 * state.KineticEnergy() + virial) * PressurePerEnergy(state);
        _sum[Energy] += energy / state.Count;
        Frames++;
    }

    /// <summary>The x and v part only: ∂O/∂θ needs the accumulator, which the other overload takes.</summary>
    public void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient)
        => Backward(frame, state, dLossdValue, gradient, new double[Field.AccumulatorLength]);

    public void Backward(int frame, State state, ReadOnlySpan<double> dLossdValue, PhaseSpaceGradient gradient, Span<double> accumulator)
    {
        if ((uint)frame >= (uint)Frames) throw new ArgumentOutOfRangeException(nameof(frame), $"thermo average has {Frames} frames, got frame {frame}");
        if (dLossdValue.Length != 2) throw new ArgumentException($"thermo average: ∂L/∂O has length {dLossdValue.Length}, expected 2");
        if (accumulator.Length != Field.AccumulatorLength)
            throw new ArgumentException($"thermo average: the accumulator has {accumulator.Length} entries but its field {Field.AccumulatorLength}; give it the field the window simulates");
        // dL/dW and dL/dU of this frame; 2 KE = Σ m v² (in energy units), so ∂(2 KE)/∂vᵢ = 2 mᵢ vᵢ.
        var dW = dLossdValue[Pressure] * PressurePerEnergy(state) / Frames;
        var dU = dLossdValue[Energy] / (state.Count * (double)Frames);
        if (dW != 0)
        {
            var c = 2 * dW * state.Units.MvvToEnergy;
            for (var i = 0; i < state.Count; i++)
            {
                var m = c * state.Mass[i];
                gradient.Vx[i] += m * state.Vx[i];
                gradient.Vy[i] += m * state.Vy[i];
                gradient.Vz[i] += m * state.Vz[i];
            }
        }
        if (dW == 0 && dU == 0) return;
        if (Field is IEnergyVirialFromPairs field) field.EnergyVirialPass(Pairs(frame, state, field.MaxCutoff), state, dU, dW, gradient, accumulator);
        else Field.EnergyAndVirialBackward(state, dU, dW, gradient, accumulator);
    }

    /// <summary>The frame's pairs from the source when it holds them for this state to at least the cutoff, else a search of its own.</summary>
    private PairSearch Pairs(int frame, State state, double cutoff)
    {
        if (_pairSource?.FramePairs(frame, state) is { } held && held.Cutoff >= cutoff && held.Holds(state)) return held;
        _search.Collect(state, cutoff);
        Searches++;
        return _search;
    }

    private static double PressurePerEnergy(State state) => state.Units.EnergyPerVolumeToPressure / (3 * state.Box.Volume);
}
