namespace DiffSim.Training;

/// <summary>
/// The update rule of iterative Boltzmann inversion on a grid of knots, in separate steps that tests can drive:
/// the raw correction α kT ln(g/g*), its regularisation (gaps filled, smoothed, zero at the cutoff), and the
/// pressure ramp of Reith, Pütz and Müller-Plathe, J. Comput. Chem. 24, 1624 (2003).
/// </summary>
public static class IbiUpdate
{
    /// <summary>
    /// Δu_k = α kT ln(g_k / g*_k) (Reith et al., eq. 5) where both g and the target are at least
    /// <paramref name="threshold"/> (and finite); NaN elsewhere, where the ratio is noise or undefined.
    /// Too much structure at r (g &gt; g*) raises u there, which pushes pairs away.
    /// </summary>
    public static double[] Raw(ReadOnlySpan<double> g, ReadOnlySpan<double> target, double kT, double damping, double threshold)
    {
        if (g.Length != target.Length) throw new ArgumentException($"g has {g.Length} points and its target {target.Length}");
        var du = new double[g.Length];
        for (var k = 0; k < g.Length; k++)
            du[k] = g[k] >= threshold && target[k] >= threshold ? damping * kT * Math.Log(g[k] / target[k]) : double.NaN;
        return du;
    }

    /// <summary>
    /// Makes a raw correction usable on a table: undefined points are filled (constant inward from the first
    /// defined point, so the core's force is kept and only its level follows; linear across gaps; constant beyond
    /// the last), the result is smoothed by <paramref name="smoothingPasses"/> passes of the [1 2 1]/4 filter (ends
    /// reflected), <paramref name="extra"/> (e.g. the pressure ramp) is added, the sum is shifted to zero at the
    /// cutoff (the last knot), and switched off smoothly over [<paramref name="taperFrom"/>, cutoff] so the force
    /// also goes to zero there. All zeros when nothing is defined.
    /// </summary>
    public static double[] Regularise(ReadOnlySpan<double> raw, ReadOnlySpan<double> r, int smoothingPasses, double taperFrom, ReadOnlySpan<double> extra = default)
    {
        var n = raw.Length;
        if (r.Length != n) throw new ArgumentException($"the correction has {n} points and the grid {r.Length}");
        var du = raw.ToArray();
        var first = -1;
        for (var k = 0; k < n; k++) if (double.IsFinite(du[k])) { first = k; break; }
        if (first < 0) du.AsSpan().Clear();
        else
        {
            for (var k = 0; k < first; k++) du[k] = du[first];
            var previous = first;
            for (var k = first + 1; k < n; k++)
            {
                if (!double.IsFinite(du[k])) continue;
                for (var j = previous + 1; j < k; j++)
                    du[j] = du[previous] + (du[k] - du[previous]) * (r[j] - r[previous]) / (r[k] - r[previous]);
                previous = k;
            }
            for (var k = previous + 1; k < n; k++) du[k] = du[previous];
        }

        var buffer = new double[n];
        for (var pass = 0; pass < smoothingPasses && n >= 3; pass++)
        {
            for (var k = 0; k < n; k++)
            {
                var left = du[k > 0 ? k - 1 : 1];
                var right = du[k < n - 1 ? k + 1 : n - 2];
                buffer[k] = 0.25 * (left + 2 * du[k] + right);
            }
            (du, buffer) = (buffer, du);
        }

        if (!extra.IsEmpty)
        {
            if (extra.Length != n) throw new ArgumentException($"the extra term has {extra.Length} points, the grid {n}");
            for (var k = 0; k < n; k++) du[k] += extra[k];
        }
        var atCutoff = du[n - 1];
        var cutoff = r[n - 1];
        for (var k = 0; k < n; k++) du[k] = (du[k] - atCutoff) * Taper(r[k], taperFrom, cutoff);
        return du;
    }

    /// <summary>
    /// Amplitude A of the pressure ramp ΔU(r) = A(1 − r/r_c) (Reith et al., eq. 8):
    /// A = −0.1 kT sign(ΔP) min(1, f |ΔP|), ΔP = P − P_target. Too high a pressure gives A &lt; 0, an added attraction.
    /// </summary>
    public static double PressureAmplitude(double pressure, double targetPressure, double kT, double scale)
    {
        var dp = pressure - targetPressure;
        return -0.1 * kT * Math.Sign(dp) * Math.Min(1.0, scale * Math.Abs(dp));
    }

    /// <summary>The ramp A(1 − r/r_c) at r (zero beyond the cutoff).</summary>
    public static double PressureRamp(double r, double cutoff, double amplitude) => r >= cutoff ? 0 : amplitude * (1 - r / cutoff);

    /// <summary>1 below <paramref name="from"/>, 0 from <paramref name="to"/>, and 1 − x³(10 − 15x + 6x²) between: value, slope and curvature continuous.</summary>
    public static double Taper(double r, double from, double to)
    {
        if (r <= from) return 1;
        if (r >= to) return 0;
        var x = (r - from) / (to - from);
        return 1 - x * x * x * (10 - 15 * x + 6 * x * x);
    }

    /// <summary>Values at bin centres <paramref name="centres"/> linearly interpolated onto <paramref name="r"/>; constant beyond the ends; NaN stays NaN.</summary>
    public static double[] Interpolate(ReadOnlySpan<double> centres, ReadOnlySpan<double> values, ReadOnlySpan<double> r)
    {
        var result = new double[r.Length];
        var j = 0;
        for (var k = 0; k < r.Length; k++)
        {
            var x = r[k];
            if (x <= centres[0]) { result[k] = values[0]; continue; }
            if (x >= centres[^1]) { result[k] = values[^1]; continue; }
            while (centres[j + 1] < x) j++;
            var t = (x - centres[j]) / (centres[j + 1] - centres[j]);
            result[k] = values[j] + t * (values[j + 1] - values[j]);
        }
        return result;
    }
}
