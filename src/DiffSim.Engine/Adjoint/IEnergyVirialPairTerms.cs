namespace DiffSim.Adjoint;

/// <summary>
/// A field's terms of one pair for <see cref="EnergyVirialPairLoop"/>: a struct, so that the JIT specialises the loop
/// for each field and no call is virtual.
/// </summary>
internal interface IEnergyVirialPairTerms
{
    /// <summary>
    /// u (shifted as the forces are), φ = −u'/r and dφ/ds of a pair of type pair <paramref name="pair"/> (a · T + b)
    /// at s = r² inside its cutoff; false when the pair adds nothing (beyond a table's last knot).
    /// </summary>
    bool Evaluate(int pair, double s, double r, out double energy, out double phi, out double dphids);

    /// <summary>Adds a ∂u/∂ψ + b ∂(φ s)/∂ψ of the pair last passed to <see cref="Evaluate"/> into the accumulator.</summary>
    void AddParameterGradient(int pair, double s, double r, double a, double b, Span<double> accumulator);
}
