using DiffSim.Forces;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// A differentiable force field whose potential energy U = Σ u(r) and pair virial W = Σ φ(s) s (s = r², φ = −u'(r)/r,
/// the sums over pairs within the cutoff) can be differentiated, for losses on the pressure and the energy.
/// </summary>
/// <remarks>
/// Unlike the forces, U and W depend on θ directly as well as through x, so their reverse pass adds to both the
/// position adjoint and the accumulator of <see cref="IDifferentiableForceField.Backward"/>. Per pair with
/// d = xᵢ − xⱼ: ∂U/∂xᵢ = −φ d, ∂W/∂xᵢ = 2(φ + s dφ/ds) d; ∂U/∂θ = ∂u/∂θ (less ∂u(r_c)/∂θ when shifted),
/// ∂W/∂θ = s ∂φ/∂θ. Both are evaluated in double over a pair search (the field's own, or the frame's pairs that an
/// RDF of the window holds), whatever the forward precision, so a loss sees the same U and W in its forward and
/// reverse pass.
/// </remarks>
public interface IDifferentiableEnergyVirial : IDifferentiableForceField
{
    /// <summary>U (shifted as the forces are) and W at the positions of <paramref name="state"/>.</summary>
    ForceResult EnergyAndVirial(State state);

    /// <summary>
    /// Adds a ∂U/∂x + b ∂W/∂x into <paramref name="positionAdjoint"/> (X, Y, Z) and a ∂U/∂ψ + b ∂W/∂ψ into
    /// <paramref name="accumulator"/> (ψ as in <see cref="IDifferentiableForceField.AccumulatorLength"/>), with a =
    /// <paramref name="energyWeight"/> and b = <paramref name="virialWeight"/>.
    /// </summary>
    void EnergyAndVirialBackward(State state, double energyWeight, double virialWeight, PhaseSpaceGradient positionAdjoint, Span<double> accumulator);
}
