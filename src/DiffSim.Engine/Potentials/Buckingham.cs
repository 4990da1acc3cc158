namespace DiffSim.Potentials;

/// <summary>Buckingham: u(r) = A·e^{−r/ρ} − C/r⁶.</summary>
[PairPotential(Name = "buck")]
public partial struct Buckingham
{
    /// <summary>Repulsion strength A (energy).</summary>
    [Parameter] public double A;

    /// <summary>Repulsion range ρ (length).</summary>
    [Parameter(Positive = true)] public double Rho;

    /// <summary>Dispersion coefficient C (energy × length⁶).</summary>
    [Parameter] public double C;

    public Buckingham(double a, double rho, double c)
    {
        A = a;
        Rho = rho;
        C = c;
    }

    /// <summary>u(r).</summary>
    public readonly double Energy(double r) => A * Math.Exp(-r / Rho) - C / Math.Pow(r, 6);
}
