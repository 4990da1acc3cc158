using BenchmarkDotNet.Attributes;
using DiffSim.Forces;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Bench;

/// <summary>
/// The engine's force kernel specialised with the generated <see cref="LennardJones"/> against the same kernel with
/// the hand-written struct it replaced, on in.lj (32,000 atoms, list built, forces only). Issue target: generated
/// within 5 % of hand-written. In the kernel the parameters' set-up is hoisted out of the pair loop, so the two match;
/// <see cref="GeneratedPotentialBenchmarks"/> times Evaluate alone, where the generated set-up is paid on every call.
/// Run: <c>dotnet run -c Release --project bench/DiffSim.Bench -- --filter *GeneratedForceKernel* --job short</c>.
/// </summary>
public class GeneratedForceKernelBenchmarks
{
    [Params(Precision.Float, Precision.Double)]
    public Precision Precision;

    private State _state = null!;
    private PairForceField<LennardJones> _generated = null!;
    private PairForceField<GeneratedPotentialBenchmarks.HandWrittenLennardJones> _handWritten = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = InLj.Crystal(20);
        InLj.Jiggle(_state);
        _generated = new(PairTable<LennardJones>.Single(new LennardJones(1, 1), 2.5, false), 0.3, Precision);
        _handWritten = new(PairTable<GeneratedPotentialBenchmarks.HandWrittenLennardJones>.Single(new(1, 1), 2.5, false), 0.3, Precision);
        _generated.Compute(_state);
        _handWritten.Compute(_state);
    }

    [Benchmark(Baseline = true)]
    public ForceResult HandWritten() => _handWritten.Compute(_state);

    [Benchmark]
    public ForceResult Generated() => _generated.Compute(_state);
}
