using DiffSim.Integrators;
using DiffSim.Systems;

namespace DiffSim.Training;

/// <summary>
/// One state point of an <see cref="IterativeBoltzmannInversion"/>: its system, integrator (a thermostat at
/// <see cref="Temperature"/>), target g_ab(r) per type pair a ≤ b in row order on the histogram's bin centres,
/// its weight in the averaged update (0: monitored only), and optionally a target pressure.
/// </summary>
public sealed class IbiStatePoint
{
    public required string Name { get; init; }
    public required State State { get; init; }
    public required IIntegrator Integrator { get; init; }
    public required double Temperature { get; init; }
    public required IReadOnlyList<double[]> Target { get; init; }
    public double Weight { get; init; } = 1.0;
    public double? TargetPressure { get; init; }

    /// <summary>k_B T in the state's energy unit.</summary>
    public double KT => State.Units.Boltzmann * Temperature;
}
