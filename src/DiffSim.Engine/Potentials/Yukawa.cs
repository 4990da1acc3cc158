namespace DiffSim.Potentials;

/// <summary>Yukawa (screened Coulomb): u(r) = A·e^{−κr}/r (the LAMMPS <c>yukawa</c> form).</summary>
[PairPotential(Name = "yukawa")]
public partial struct Yukawa
{
    /// <summary>Strength A (energy × length).</summary>
    [Parameter] public double A;

    /// <summary>Inverse screening length κ.</summary>
    [Parameter] public double Kappa;

    public Yukawa(double a, double kappa)
    {
        A = a;
        Kappa = kappa;
    }

    /// <summary>u(r).</summary>
    public readonly double Energy(double r) => A * Math.Exp(-Kappa * r) / r;
}
