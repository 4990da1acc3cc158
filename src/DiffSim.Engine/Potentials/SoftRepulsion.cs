namespace DiffSim.Potentials;

/// <summary>Soft-sphere repulsion: u(r) = ε(σ/r)ⁿ with a fixed exponent n = <see cref="Exponent"/>.</summary>
[PairPotential(Name = "soft")]
public partial struct SoftRepulsion
{
    /// <summary>The exponent n, fixed at compile time (even, so the kernels need no square root).</summary>
    public const double Exponent = 12;

    /// <summary>Energy scale ε.</summary>
    [Parameter] public double Epsilon;

    /// <summary>Length scale σ.</summary>
    [Parameter(Positive = true)] public double Sigma;

    public SoftRepulsion(double epsilon, double sigma)
    {
        Epsilon = epsilon;
        Sigma = sigma;
    }

    /// <summary>u(r).</summary>
    public readonly double Energy(double r) => Epsilon * Math.Pow(Sigma / r, Exponent);
}
