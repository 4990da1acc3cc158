namespace DiffSim.Potentials;

/// <summary>
/// Mie n–m potential: u(r) = C·ε[(σ/r)ⁿ − (σ/r)ᵐ] with C = n/(n−m)·(n/m)^{m/(n−m)}, so the well depth is ε for any n &gt; m.
/// The exponents are trainable parameters; n = 12, m = 6 is Lennard-Jones.
/// </summary>
[PairPotential(Name = "mie")]
public partial struct Mie
{
    /// <summary>Well depth ε (energy).</summary>
    [Parameter] public double Epsilon;

    /// <summary>Zero crossing σ (length).</summary>
    [Parameter(Positive = true)] public double Sigma;

    /// <summary>Repulsive exponent n.</summary>
    [Parameter(Positive = true)] public double N;

    /// <summary>Attractive exponent m &lt; n.</summary>
    [Parameter(Positive = true)] public double M;

    public Mie(double epsilon, double sigma, double n, double m)
    {
        Epsilon = epsilon;
        Sigma = sigma;
        N = n;
        M = m;
    }

    /// <summary>u(r).</summary>
    public readonly double Energy(double r)
    {
        var c = N / (N - M) * Math.Pow(N / M, M / (N - M));
        return c * Epsilon * (Math.Pow(Sigma / r, N) - Math.Pow(Sigma / r, M));
    }
}
