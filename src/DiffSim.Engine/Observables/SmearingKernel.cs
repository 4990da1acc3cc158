using System.Runtime.CompilerServices;

namespace DiffSim.Observables;

/// <summary>
/// The cumulative distribution S(u) of a unit Gaussian truncated at |u| = <see cref="Reach"/> and shifted to zero there,
/// K(u) = (φ(u) − φ(5)) / Z on |u| &lt; 5, normalised so that ∫K = 1. The bin weight of a pair at distance r is the exact
/// bin integral S((r_hi − r)/σ) − S((r_lo − r)/σ); as σ → 0 it becomes the histogram's indicator.
/// </summary>
/// <remarks>
/// The shift makes S reach 0 and 1 with zero slope at ±5, so bin weights and their derivatives stay continuous as
/// pairs cross the truncation (a plain truncated Gaussian jumps by ½ erfc(5/√2) ≈ 3e-7 there, which spoils finite
/// differences and the optimiser alike). S is tabulated at spacing 1/64 with exact values and slopes and interpolated by
/// cubic Hermite segments (error ≈ 2e-10); the backward pass differentiates the same segments, so the gradient is the
/// exact derivative of the forward value.
/// </remarks>
internal sealed class SmearingKernel
{
    /// <summary>Truncation of the Gaussian, in standard deviations.</summary>
    public const double Reach = 5.0;

    internal const int PerUnit = 64;
    internal const int Intervals = (int)(2 * Reach) * PerUnit;

    /// <summary>Segment j's cubic c₀ + c₁f + c₂f² + c₃f³ at 4j..4j+3 (read by the vectorised loops of <see cref="SmearedRdf"/>).</summary>
    internal static readonly double[] Coefficients = Build();

    /// <summary>S(u): the fraction of the kernel below u (0 below −5, 1 above 5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Cdf(double u)
    {
        var x = (u + Reach) * PerUnit;
        if (x <= 0) return 0.0;
        if (x >= Intervals) return 1.0;
        var j = (int)x;
        var f = x - j;
        ref var c = ref Coefficients[4 * j];
        return ((Unsafe.Add(ref c, 3) * f + Unsafe.Add(ref c, 2)) * f + Unsafe.Add(ref c, 1)) * f + c;
    }

    /// <summary>dS/du of the interpolated <see cref="Cdf"/>: the kernel density K(u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Density(double u)
    {
        var x = (u + Reach) * PerUnit;
        if (x <= 0 || x >= Intervals) return 0.0;
        var j = (int)x;
        var f = x - j;
        ref var c = ref Coefficients[4 * j];
        return ((3 * Unsafe.Add(ref c, 3) * f + 2 * Unsafe.Add(ref c, 2)) * f + Unsafe.Add(ref c, 1)) * PerUnit;
    }

    /// <summary>The exact S(u) of the truncated, shifted Gaussian (used to build the table; slow).</summary>
    public static double ExactCdf(double u)
    {
        if (u <= -Reach) return 0.0;
        if (u >= Reach) return 1.0;
        var tail = Phi(Reach);
        var z = NormalCdf(Reach) - NormalCdf(-Reach) - 2 * Reach * tail;
        return (NormalCdf(u) - NormalCdf(-Reach) - tail * (u + Reach)) / z;
    }

    /// <summary>The exact K(u) of the truncated, shifted Gaussian.</summary>
    public static double ExactDensity(double u)
    {
        if (Math.Abs(u) >= Reach) return 0.0;
        var tail = Phi(Reach);
        var z = NormalCdf(Reach) - NormalCdf(-Reach) - 2 * Reach * tail;
        return (Phi(u) - tail) / z;
    }

    private static double Phi(double u) => Math.Exp(-0.5 * u * u) / Math.Sqrt(2 * Math.PI);

    private static double NormalCdf(double u) => 0.5 * (1 + Erf(u / Math.Sqrt(2)));

    /// <summary>
    /// erf(x) = (2/√π) e^{−x²} Σ_n 2ⁿ x^{2n+1} / (2n+1)!! (Abramowitz and Stegun 7.1.6): all terms positive, so there is no
    /// cancellation, and it converges to double precision for the |x| ≤ 3.6 the table needs.
    /// </summary>
    internal static double Erf(double x)
    {
        if (x < 0) return -Erf(-x);
        if (x > 6) return 1.0;
        double term = x, sum = x;
        for (var n = 1; n < 500; n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    private static double[] Build()
    {
        const double h = 1.0 / PerUnit;
        var c = new double[4 * Intervals];
        for (var j = 0; j < Intervals; j++)
        {
            double u0 = -Reach + j * h, u1 = u0 + h;
            double s0 = ExactCdf(u0), s1 = ExactCdf(u1);
            double d0 = h * ExactDensity(u0), d1 = h * ExactDensity(u1);
            // Cubic Hermite segment in f ∈ [0, 1] through (s0, s1) with slopes (d0, d1).
            c[4 * j] = s0;
            c[4 * j + 1] = d0;
            c[4 * j + 2] = 3 * (s1 - s0) - 2 * d0 - d1;
            c[4 * j + 3] = 2 * (s0 - s1) + d0 + d1;
        }
        return c;
    }
}
