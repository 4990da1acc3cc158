namespace DiffSim.Potentials;

/// <summary>Gaussian core (Stillinger): u(r) = ε·e^{−(r/σ)²}, bounded at r = 0.</summary>
[PairPotential(Name = "gauss")]
public partial struct GaussianCore
{
    /// <summary>Height ε (energy).</summary>
    [Parameter] public double Epsilon;

    /// <summary>Width σ (length).</summary>
    [Parameter(Positive = true)] public double Sigma;

    public GaussianCore(double epsilon, double sigma)
    {
        Epsilon = epsilon;
        Sigma = sigma;
    }

    /// <summary>u(r).</summary>
    public readonly double Energy(double r)
    {
        var x = r / Sigma;
        return Epsilon * Math.Exp(-(x * x));
    }
}
