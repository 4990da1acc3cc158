using DiffSim.Adjoint;
using DiffSim.Observables;
using DiffSim.Systems;
using Xunit.Abstractions;

namespace DiffSim.Tests.Observables;

public class DifferentiableVacfTests(ITestOutputHelper output)
{
    /// <summary>A window of correlated velocities: each frame rotates a little away from the previous one.</summary>
    private static State[] Window(int frames, int particles = 20, int seed = 1)
    {
        var rng = new Random(seed);
        var states = new State[frames];
        for (var f = 0; f < frames; f++)
        {
            var s = new State(Box.Cubic(10), [ParticleType.Default], new int[particles], UnitSystem.Lj);
            for (var i = 0; i < particles; i++)
            {
                s.Vx[i] = f == 0 ? rng.NextDouble() - 0.5 : 0.8 * states[f - 1].Vx[i] + 0.3 * (rng.NextDouble() - 0.5);
                s.Vy[i] = f == 0 ? rng.NextDouble() - 0.5 : 0.8 * states[f - 1].Vy[i] + 0.3 * (rng.NextDouble() - 0.5);
                s.Vz[i] = f == 0 ? rng.NextDouble() - 0.5 : 0.8 * states[f - 1].Vz[i] + 0.3 * (rng.NextDouble() - 0.5);
            }
            states[f] = s;
        }
        return states;
    }

    private static double[] Run(DifferentiableVacf vacf, State[] window)
    {
        vacf.Reset();
        for (var f = 0; f < window.Length; f++) vacf.Accumulate(f, window[f]);
        return vacf.Value.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void MatchesPlainVelocityAutocorrelation(int originEvery)
    {
        var window = Window(14);
        var vacf = new DifferentiableVacf(5, originEvery);
        var value = Run(vacf, window);
        var plain = new VelocityAutocorrelation(5, originEvery);
        foreach (var s in window) plain.Accumulate(s);
        var expected = plain.Result();
        for (var lag = 0; lag < 5; lag++) Assert.Equal(expected[lag], value[lag], 12);
        Assert.True(value[4] < 0.8 * value[0], "the test velocities should decorrelate");
    }

    [Fact]
    public void ZeroLagIsMeanSquaredVelocity()
    {
        var window = Window(9);
        var value = Run(new DifferentiableVacf(4), window);
        var sum = 0.0;
        foreach (var s in window)
            for (var i = 0; i < s.Count; i++) sum += s.Vx[i] * s.Vx[i] + s.Vy[i] * s.Vy[i] + s.Vz[i] * s.Vz[i];
        Assert.Equal(sum / (window.Length * window[0].Count), value[0], 13);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void BackwardMatchesFiniteDifferences(int originEvery)
    {
        var window = Window(10);
        var vacf = new DifferentiableVacf(4, originEvery);
        var c = ObservableSystems.Coefficients(4, 3);
        double Loss() => Run(vacf, window).Select((v, k) => c[k] * v).Sum();
        const double h = 1e-5;
        var pairs = new List<(double Numeric, double Analytic)>();
        foreach (var frame in new[] { 0, 3, 6, 9 })
        {
            Loss();
            var gradient = new PhaseSpaceGradient(window[frame].Count);
            vacf.Backward(frame, window[frame], c, gradient);
            Assert.All(gradient.X, g => Assert.Equal(0, g));
            foreach (var i in new[] { 0, 7, 19 })
                foreach (var (v, analytic) in new[] { (window[frame].Vx, gradient.Vx[i]), (window[frame].Vy, gradient.Vy[i]), (window[frame].Vz, gradient.Vz[i]) })
                {
                    var v0 = v[i];
                    v[i] = v0 + h; var plus = Loss();
                    v[i] = v0 - h; var minus = Loss();
                    v[i] = v0;
                    var numeric = (plus - minus) / (2 * h);
                    pairs.Add((numeric, analytic));
                }
        }
        var scale = pairs.Max(p => Math.Abs(p.Analytic));
        Assert.True(scale > 1e-3, "degenerate gradient");
        var worst = pairs.Max(p => Math.Abs(p.Numeric - p.Analytic)) / scale;
        output.WriteLine($"vacf finite-difference error (relative to max |∂L/∂v| = {scale:G4}): {worst:E2}");
        Assert.True(worst < 1e-7, $"finite-difference error {worst}");
    }

    [Fact]
    public void ShortWindowAndOutOfOrderFramesAreErrors()
    {
        var window = Window(3);
        var vacf = new DifferentiableVacf(5);
        Assert.Throws<ArgumentException>(() => vacf.Accumulate(1, window[0]));
        for (var f = 0; f < 3; f++) vacf.Accumulate(f, window[f]);
        Assert.Contains("at least 5 frames", Assert.Throws<InvalidOperationException>(() => vacf.Value.ToArray()).Message);
    }
}
