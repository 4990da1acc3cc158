using DiffSim.Numerics;

namespace DiffSim.Potentials;

/// <summary>
/// The potential of mean force u₀(r) = −kT ln g(r) of a target radial distribution, as a smooth function of r: the
/// usual first guess of a pair potential (Boltzmann inversion), used to initialise a trainable table or to pre-fit a
/// network (<see cref="DiffSim.Adjoint.NeuralPairField.Prefit"/>).
/// </summary>
/// <remarks>
/// Inside the core g is zero or noise, so −kT ln g is undefined or meaningless there. The core ends at r*, the first
/// point from which g stays at or above <c>coreThreshold</c>; from r* outwards u₀ is a natural cubic spline through
/// −kT ln g (g clipped below at the threshold), and inside r* it continues as u* + A((r*/r)¹² − 1) with
/// A = −u₀'(r*) r*/12, matching value and slope at r*, so it is a steep repulsion (A ≥ 0.1 kT if the data's slope at
/// r* is not negative). Optionally u₀ is switched to zero over [taperFrom, cutoff] by 1 − x³(10 − 15x + 6x²), so a
/// table of it has no jump at the cutoff.
/// </remarks>
public sealed class BoltzmannInversion
{
    private const double CoreExponent = 12;
    private readonly CubicSpline _spline;
    private readonly double _coreAmplitude;
    private readonly double _taperFrom;
    private readonly double _taperTo;

    /// <param name="r">Grid of the target g(r), strictly increasing.</param>
    /// <param name="g">Target g(r).</param>
    /// <param name="kT">Thermal energy in the energy unit of the run.</param>
    /// <param name="coreThreshold">g below which a point counts as core; also the floor of g outside the core.</param>
    /// <param name="taperFrom">Start of the switch to zero; null for no switch.</param>
    /// <param name="cutoff">End of the switch; required with <paramref name="taperFrom"/>.</param>
    public BoltzmannInversion(ReadOnlySpan<double> r, ReadOnlySpan<double> g, double kT, double coreThreshold = 1e-3,
        double? taperFrom = null, double? cutoff = null)
    {
        if (r.Length != g.Length) throw new ArgumentException($"g(r) has {g.Length} values for {r.Length} distances");
        if (!(kT > 0)) throw new ArgumentException($"kT must be positive, got {kT}");
        if (!(coreThreshold > 0)) throw new ArgumentException($"the core threshold must be positive, got {coreThreshold}");
        var last = -1;
        for (var k = 0; k < g.Length; k++) if (!(g[k] >= coreThreshold)) last = k;
        var first = last + 1;
        if (g.Length - first < 3) throw new ArgumentException($"g(r) is below {coreThreshold} almost everywhere: nothing to invert");
        KT = kT;
        var x = r[first..].ToArray();
        var u = new double[x.Length];
        for (var k = 0; k < u.Length; k++) u[k] = -kT * Math.Log(Math.Max(g[first + k], coreThreshold));
        _spline = new CubicSpline(x, u);
        CoreRadius = x[0];
        LastPoint = x[^1];
        var slope = _spline.Derivative(CoreRadius);
        _coreAmplitude = Math.Max(-slope * CoreRadius / CoreExponent, 0.1 * kT);
        if (taperFrom is { } from)
        {
            if (cutoff is not { } to || !(to > from)) throw new ArgumentException($"a taper needs a cutoff beyond its start {from}");
            _taperFrom = from;
            _taperTo = to;
        }
        else
        {
            _taperFrom = _taperTo = double.PositiveInfinity;
        }
    }

    public double KT { get; }

    /// <summary>r*: inside it u₀ is the repulsive continuation.</summary>
    public double CoreRadius { get; }

    /// <summary>Last distance of the target; u₀ is not defined beyond it.</summary>
    public double LastPoint { get; }

    /// <summary>−kT ln max(g, floor) point by point: the raw inversion, without the core treatment.</summary>
    public static double[] Invert(ReadOnlySpan<double> g, double kT, double floor = 1e-3)
    {
        var u = new double[g.Length];
        for (var k = 0; k < g.Length; k++) u[k] = -kT * Math.Log(Math.Max(g[k], floor));
        return u;
    }

    /// <summary>u₀(r), and du₀/dr in <paramref name="derivative"/>.</summary>
    public double Energy(double r, out double derivative)
    {
        if (r > LastPoint * (1 + 1e-12)) throw new ArgumentOutOfRangeException(nameof(r), $"u₀ is defined up to the target's last point {LastPoint}, asked at {r}");
        double u, du;
        if (r < CoreRadius)
        {
            var q = Math.Pow(CoreRadius / r, CoreExponent);
            u = _spline.Value(CoreRadius) + _coreAmplitude * (q - 1);
            du = -CoreExponent * _coreAmplitude * q / r;
        }
        else
        {
            u = _spline.Value(r);
            du = _spline.Derivative(r);
        }
        if (r > _taperFrom)
        {
            double s, ds;
            if (r >= _taperTo) { s = 0; ds = 0; }
            else
            {
                var w = _taperTo - _taperFrom;
                var t = (r - _taperFrom) / w;
                s = 1 - t * t * t * (10 - 15 * t + 6 * t * t);
                ds = -30 * t * t * (1 - t) * (1 - t) / w;
            }
            du = ds * u + s * du;
            u *= s;
        }
        derivative = du;
        return u;
    }

    public double Energy(double r) => Energy(r, out _);

    public double Derivative(double r)
    {
        Energy(r, out var d);
        return d;
    }

    /// <summary>A <see cref="HermiteTable"/> of u₀ from r₀ to the cutoff (its last knot), e.g. to start a <see cref="DiffSim.Adjoint.DifferentiableTableField"/>.</summary>
    public HermiteTable ToTable(double r0, double cutoff, double spacing) => HermiteTable.FromFunction(r0, cutoff, spacing, Energy, Derivative);
}
