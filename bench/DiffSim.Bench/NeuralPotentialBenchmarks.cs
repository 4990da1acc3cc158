using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Potentials.Neural;
using DiffSim.Setup;
using DiffSim.Systems;

namespace DiffSim.Bench;

/// <summary>
/// One force evaluation of a neural pair potential on 256 atoms at LJ liquid density (ρ = 0.8442, r_c = 2.5σ):
/// through the Hermite tables the field simulates with, versus evaluating the network for every pair; plus the
/// per-window cost of tabulating the network (<see cref="NeuralPairField.SetParameters"/>) and of mapping the knot
/// gradient back to the weights (<see cref="NeuralPairField.FinishGradient"/>). Default network shape (32 Gaussians,
/// 2 × 64 SiLU), default grid (Δ = r_c/500). Single thread, double precision.
/// </summary>
[MemoryDiagnoser]
public class NeuralPotentialBenchmarks
{
    private State _state = null!;
    private NeuralPairField _field = null!;
    private PairForceField<NeuralPairPotential> _direct = null!;
    private double[] _theta = [];
    private double[] _accumulator = [];
    private double[] _gradient = [];

    [Params(KernelPath.Scalar, KernelPath.Auto)]
    public KernelPath Path { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var a = Lattice.CellEdge(LatticeKind.Fcc, 0.8442);
        var (x, y, z) = Lattice.Sites(LatticeKind.Fcc, 4, 4, 4, a);
        _state = new State(Box.Cubic(4 * a), [ParticleType.Default], new int[x.Length], UnitSystem.Lj);
        x.CopyTo(_state.X); y.CopyTo(_state.Y); z.CopyTo(_state.Z);
        var rng = new Random(1);
        for (var i = 0; i < _state.Count; i++)
        {
            _state.X[i] += 0.1 * (rng.NextDouble() - 0.5);
            _state.Y[i] += 0.1 * (rng.NextDouble() - 0.5);
            _state.Z[i] += 0.1 * (rng.NextDouble() - 0.5);
        }
        _field = new NeuralPairField(["A"], new NeuralPairOptions { Cutoff = 2.5, Prior = new RepulsivePrior(4.0, 1.0, 12) }, 0.3, Precision.Double, Path);
        _theta = _field.InitialParameters();
        _field.SetParameters(_theta);
        _direct = new PairForceField<NeuralPairPotential>(
            PairTable<NeuralPairPotential>.Single(new NeuralPairPotential(_field.Model(0, 0), _theta), 2.5, false), 0.3, Precision.Double, KernelPath.Scalar);
        _accumulator = Enumerable.Range(0, _field.AccumulatorLength).Select(k => Math.Sin(k)).ToArray();
        _gradient = new double[_field.ParameterCount];
        _field.Compute(_state);
        _direct.Compute(_state);
    }

    [Benchmark(Baseline = true)]
    public double DirectNetworkForces() => _direct.Compute(_state).Energy;

    [Benchmark]
    public double TableForces() => _field.Compute(_state).Energy;

    [Benchmark]
    public void TabulateNetwork() => _field.SetParameters(_theta);

    [Benchmark]
    public void NetworkGradientFromKnots() => _field.FinishGradient(_accumulator, _gradient);

    /// <summary>A Stopwatch version of the same comparison, for a quick look without BenchmarkDotNet: returns a report.</summary>
    public static string RunStopwatch(int repeats = 20)
    {
        var b = new NeuralPotentialBenchmarks { Path = KernelPath.Auto };
        b.Setup();
        double Time(Action action, int n)
        {
            action();
            var best = double.MaxValue;
            for (var rep = 0; rep < 5; rep++)
            {
                var sw = Stopwatch.StartNew();
                for (var k = 0; k < n; k++) action();
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds / n);
            }
            return best;
        }
        var direct = Time(() => b.DirectNetworkForces(), Math.Max(1, repeats / 10));
        var table = Time(() => b.TableForces(), repeats * 10);
        var fill = Time(b.TabulateNetwork, Math.Max(1, repeats / 5));
        var back = Time(b.NetworkGradientFromKnots, Math.Max(1, repeats / 5));
        var lj = new PairForceField<DiffSim.Potentials.LennardJones>(
            PairTable<DiffSim.Potentials.LennardJones>.Single(new DiffSim.Potentials.LennardJones(1, 1), 2.5, false), 0.3, Precision.Double, KernelPath.Auto);
        var ljTime = Time(() => lj.Compute(b._state), repeats * 10);
        return FormattableString.Invariant(
            $"256 atoms, {b._field.Tables.Forward.Path} path: table {table * 1e3:F1} µs, direct network {direct * 1e3:F0} µs per force evaluation (ratio {direct / table:F0}×; analytic LJ on the same path {ljTime * 1e3:F1} µs); tabulating the network {fill:F2} ms, gradient from knots {back:F2} ms per window ({b._field.Knots.Length} knots, {b._field.ParameterCount} weights)");
    }
}
