namespace DiffSim.Potentials.Neural;

/// <summary>
/// A fixed (not trained) repulsive prior P(r) = ε (σ/r)ⁿ added to the network, as Wang et al. do, so that the
/// learned potential keeps particles apart from the first window on. Set by the user; ε = 0 switches it off.
/// </summary>
public readonly record struct RepulsivePrior(double Epsilon, double Sigma, double Exponent = 12)
{
    /// <summary>P(r), and P'(r) = −nP/r in <paramref name="derivative"/>.</summary>
    public double Value(double r, out double derivative)
    {
        if (Epsilon == 0) { derivative = 0; return 0; }
        var p = Epsilon * Math.Pow(Sigma / r, Exponent);
        derivative = -Exponent * p / r;
        return p;
    }
}
