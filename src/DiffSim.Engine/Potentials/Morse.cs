namespace DiffSim.Potentials;

/// <summary>Morse: u(r) = D[e^{−2α(r−r₀)} − 2e^{−α(r−r₀)}], minimum −D at r₀ (the LAMMPS <c>morse</c> form).</summary>
[PairPotential(Name = "morse")]
public partial struct Morse
{
    /// <summary>Well depth D (energy).</summary>
    [Parameter] public double D;

    /// <summary>Width parameter α (inverse length).</summary>
    [Parameter(Positive = true)] public double Alpha;

    /// <summary>Position of the minimum r₀ (length).</summary>
    [Parameter(Positive = true)] public double R0;

    public Morse(double d, double alpha, double r0)
    {
        D = d;
        Alpha = alpha;
        R0 = r0;
    }

    /// <summary>u(r).</summary>
    public readonly double Energy(double r)
    {
        var e = Math.Exp(-Alpha * (r - R0));
        return D * (e * e - 2 * e);
    }
}
