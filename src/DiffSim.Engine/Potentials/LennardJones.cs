namespace DiffSim.Potentials;

/// <summary>
/// Lennard-Jones 12-6: u(r) = 4ε[(σ/r)¹² − (σ/r)⁶]. Depends on even powers of r only, so the generated kernels need no square root.
/// Derivatives, parameter gradients and the SIMD and GPU forms are generated from <see cref="Energy"/>.
/// </summary>
[PairPotential(Name = "lj")]
public partial struct LennardJones
{
    /// <summary>Well depth ε (energy).</summary>
    [Parameter] public double Epsilon;

    /// <summary>Zero crossing σ (length).</summary>
    [Parameter(Positive = true)] public double Sigma;

    public LennardJones(double epsilon, double sigma)
    {
        Epsilon = epsilon;
        Sigma = sigma;
    }

    /// <summary>u(r).</summary>
    public readonly double Energy(double r)
    {
        var s6 = Math.Pow(Sigma / r, 6);
        return 4 * Epsilon * (s6 * s6 - s6);
    }
}
