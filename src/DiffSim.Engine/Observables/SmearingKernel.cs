namespace DiffSim.Observables;

/// <summary>
/// The cumulative distribution S(u) of a unit Gaussian truncated at |u| = <see cref="Reach"/> and shifted to zero there,
/// K(u) = (φ(u) − φ(5)) / Z on |u| &lt; 5, normalised so that ∫K = 1. The bin weight of a pair at distance r is the exact
/// bin integral S((r_hi − r)/σ) − S((r_lo − r)/σ); as σ → 0 it becomes the histogram's indicator.
/// </summary>
/// <remarks>
/// The shift makes S reach 0 and 1 with zero slope at ±5, so bin weights and their derivatives stay continuous as
/// pairs cross the truncation (a plain truncated Gaussian jumps by ½ erfc(5/√2) ≈ 3e-7 there, which spoils finite
/// differences and the optimiser alike). The RDF does not evaluate S per pair: <see cref="SmearedBinWeights"/>
/// tabulates whole rows of bin weights from these exact values once.
/// </remarks>
internal static class SmearingKernel
{
    /// <summary>Truncation of the Gaussian, in standard deviations.</summary>
    public const double Reach = 5.0;

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
}
