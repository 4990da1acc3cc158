using System.Runtime.CompilerServices;

namespace DiffSim.Observables;

/// <summary>
/// The smeared bin weights of one pair, W_m = S((m + 1 − φ)a) − S((m − φ)a), for every bin m it can reach, as functions
/// of φ ∈ [−½, ½), the pair's offset from its nearest bin edge in bins (a = Δ/σ, S the kernel's cumulative
/// distribution, <see cref="SmearingKernel"/>). Bin m is counted from that edge: the pair at t = (r − r_min)/Δ, nearest
/// edge e, adds W_m to bin e + m for m = <see cref="First"/> … <see cref="First"/> + <see cref="Span"/> − 1.
/// </summary>
/// <remarks>
/// <para>Every W_m is a cubic Hermite interpolant in φ on <see cref="Intervals"/> equal intervals, through the exact
/// values and slopes, so one pair costs one row of the table (all its bins at once, a few FMAs per four bins) instead
/// of the kernel at each bin edge. The interval in kernel units, a/<see cref="Intervals"/>, is at most 1/16 (error
/// ≈ 4e-8 of a weight, a tenth of the 3e-7 by which the truncated kernel differs from a Gaussian); W_m and dW_m/dφ are continuous across intervals, and the reverse pass differentiates the same
/// cubics, so ∂L/∂r is the exact derivative of the value. Bins beyond the truncation at ±5σ have zero rows.</para>
/// <para>Layout: interval q, vector v (bins First + 4v … First + 4v + 3), then the coefficients c₀ … c₃ of
/// c₀ + c₁f + c₂f² + c₃f³ (f ∈ [0, 1) within the interval), four lanes each: one pair reads 16·<see cref="Vectors"/>
/// consecutive doubles.</para>
/// </remarks>
internal sealed class SmearedBinWeights
{
    /// <summary>
    /// Intervals per unit of the kernel argument (σ). 64 made the error 2e-10, but a frame's moments and the window's
    /// slope table have a cell per (bin, interval): at the paper's smearing (σ ≈ Δ) 8,000 cells of 32 bytes, which the
    /// pairs read and write at random, against 2,000 at 16 (the float LJ training step 6.6–7.1 → 6.3–6.5 ms, its RDF frames and their backward 1.9 → 1.75 ms).
    /// </summary>
    private const int PerKernelUnit = 16;

    public SmearedBinWeights(double binWidth, double sigma)
    {
        var a = binWidth / sigma;
        var reach = SmearingKernel.Reach / a;
        // W_m ≠ 0 needs (m − φ)a < 5 and (m + 1 − φ)a > −5 for some φ ∈ [−½, ½).
        First = (int)Math.Floor(-reach - 1.5) + 1;
        var last = (int)Math.Ceiling(reach + 0.5) - 1;
        Vectors = (last - First + 4) / 4;
        Intervals = Math.Max(4, (int)Math.Ceiling(PerKernelUnit * a));
        Coefficients = Build(a);
    }

    /// <summary>Offset of the first bin a pair reaches from its nearest edge.</summary>
    public int First { get; }

    /// <summary>Four-bin vectors per pair.</summary>
    public int Vectors { get; }

    /// <summary>Bins per pair: 4·<see cref="Vectors"/>.</summary>
    public int Span => 4 * Vectors;

    /// <summary>Interpolation intervals over φ ∈ [−½, ½).</summary>
    public int Intervals { get; }

    /// <summary>Doubles per interval.</summary>
    public int Stride => 16 * Vectors;

    public double[] Coefficients { get; }

    /// <summary>The interval holding φ and the position f ∈ [0, 1) within it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Locate(double phi, out double fraction)
    {
        var x = (phi + 0.5) * Intervals;
        var q = Math.Min((int)x, Intervals - 1);
        fraction = x - q;
        return q;
    }

    /// <summary>W_m(φ) from the table (for tests).</summary>
    public double Weight(int m, double phi)
    {
        var q = Locate(phi, out var f);
        var lane = m - First;
        var c = q * Stride + lane / 4 * 16 + lane % 4;
        return ((Coefficients[c + 12] * f + Coefficients[c + 8]) * f + Coefficients[c + 4]) * f + Coefficients[c];
    }

    private double[] Build(double a)
    {
        var n = Intervals;
        var h = 1.0 / n;
        var span = Span;
        // Values and φ-slopes of W_m at the nodes φ_q = −½ + q h.
        var value = new double[(n + 1) * span];
        var slope = new double[(n + 1) * span];
        for (var q = 0; q <= n; q++)
        {
            var phi = -0.5 + q * h;
            for (var lane = 0; lane < span; lane++)
            {
                double lo = (First + lane - phi) * a, hi = lo + a;
                value[q * span + lane] = SmearingKernel.ExactCdf(hi) - SmearingKernel.ExactCdf(lo);
                slope[q * span + lane] = -a * (SmearingKernel.ExactDensity(hi) - SmearingKernel.ExactDensity(lo));
            }
        }
        var c = new double[n * Stride];
        for (var q = 0; q < n; q++)
            for (var lane = 0; lane < span; lane++)
            {
                double y0 = value[q * span + lane], y1 = value[(q + 1) * span + lane];
                double d0 = h * slope[q * span + lane], d1 = h * slope[(q + 1) * span + lane];
                var at = q * Stride + lane / 4 * 16 + lane % 4;
                c[at] = y0;
                c[at + 4] = d0;
                c[at + 8] = 3 * (y1 - y0) - 2 * d0 - d1;
                c[at + 12] = 2 * (y0 - y1) + d0 + d1;
            }
        return c;
    }
}
