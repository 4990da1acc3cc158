namespace DiffSim.Potentials;

/// <summary>
/// Weeks–Chandler–Andersen: Lennard-Jones cut at its minimum 2^{1/6}σ and shifted up by ε, so purely repulsive
/// and continuous with its first derivative. Written as a call to <see cref="LennardJones"/>, which the generator inlines.
/// </summary>
[PairPotential(Name = "wca")]
public partial struct WeeksChandlerAndersen
{
    /// <summary>2^{1/6}: the Lennard-Jones minimum in units of σ.</summary>
    public const double CutoffOverSigma = 1.122462048309373;

    /// <summary>Energy scale ε.</summary>
    [Parameter] public double Epsilon;

    /// <summary>Length scale σ.</summary>
    [Parameter(Positive = true)] public double Sigma;

    public WeeksChandlerAndersen(double epsilon, double sigma)
    {
        Epsilon = epsilon;
        Sigma = sigma;
    }

    /// <summary>u(r).</summary>
    public readonly double Energy(double r)
        => r < CutoffOverSigma * Sigma ? new LennardJones(Epsilon, Sigma).Energy(r) + Epsilon : 0.0;
}
