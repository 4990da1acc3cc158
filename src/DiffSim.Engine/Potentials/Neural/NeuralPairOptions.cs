namespace DiffSim.Potentials.Neural;

/// <summary>
/// Settings of a <see cref="DiffSim.Adjoint.NeuralPairField"/>: the network shape (the same for every type pair),
/// the cutoff and its switch, the fixed prior, the table grid the network is evaluated on, and, for the
/// temperature-dependent model u(r; T) = E(r) − T·S(r), the temperature of the state point.
/// </summary>
public sealed record NeuralPairOptions
{
    /// <summary>Cutoff r_c (length units), the same for every type pair; also the end of the Gaussian centres.</summary>
    public required double Cutoff { get; init; }

    public PairNetworkShape Network { get; init; } = new();

    /// <summary>Start r_on of the switch to zero; null means 0.8·r_c.</summary>
    public double? SwitchOn { get; init; }

    /// <summary>Fixed repulsive prior added to every pair's network; null for none.</summary>
    public RepulsivePrior? Prior { get; init; }

    /// <summary>First table knot r_min; null means 0.25·r_c. Below it the table continues its first cubic, so put it where pairs never go.</summary>
    public double? GridStart { get; init; }

    /// <summary>
    /// Table knot spacing Δ; null means r_c/500 (0.005σ for r_c = 2.5σ). Measured for a default-shape network with
    /// randomised weights (|u| up to 14ε beyond 0.9σ): max |u_table − u_net| 1.1e-6 ε and max |F_table − F_net|
    /// 6.7e-4 ε/σ beyond 0.9σ, and 3e-7 / 1e-5 relative in the prior-dominated core. The error scales as Δ⁴ in u and Δ³
    /// in F, and is set by the narrowest structure the network can make (the Gaussian width r_c/(G − 1)).
    /// </summary>
    public double? GridSpacing { get; init; }

    /// <summary>
    /// Temperature T of the state point (energy/k_B units, i.e. the temperature the thermostat uses) for the model
    /// u(r; T) = E(r) − T·S(r) with E and S both networks; null for the plain model u(r) = N(r).
    /// </summary>
    public double? Temperature { get; init; }

    /// <summary>
    /// Reference temperature T₀ (units of <see cref="Temperature"/>) of the reduced form u(r; T) = E(r) − ((T − T₀)/T₀)·N_S(r):
    /// E is then u at T₀ and S = N_S/T₀, so both networks output energies and an optimiser step moves u by the same
    /// amount through either. With null, u = E − T·N_S, where a step of N_S moves u T times further than a step of E
    /// (~300× in kelvin, which blows the water fit up within a few epochs). The models are the same family.
    /// </summary>
    public double? ReferenceTemperature { get; init; }

    /// <summary>Seed of the deterministic initialisation.</summary>
    public ulong Seed { get; init; }

    public double ResolvedSwitchOn => SwitchOn ?? 0.8 * Cutoff;
    public double ResolvedGridStart => GridStart ?? 0.25 * Cutoff;
    public double ResolvedGridSpacing => GridSpacing ?? Cutoff / 500;
}
