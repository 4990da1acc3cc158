using DiffSim.Forces;
using DiffSim.Systems;

namespace DiffSim.IO;

/// <summary>Mean and block-averaged standard error of one thermo column over the production run.</summary>
public sealed record ThermoAverage(string Name, string Unit, double Mean, double StandardError, int Samples);

/// <summary>What a run did and what it measured, as written to <c>summary.json</c> by <see cref="SummaryJsonWriter"/>.</summary>
public sealed record RunSummary
{
    /// <summary>"completed", or "diverged" when the run stopped on a non-finite energy.</summary>
    public required string Status { get; init; }

    /// <summary>Why the run stopped early; null when it completed.</summary>
    public string? Error { get; init; }

    public required UnitSystem Units { get; init; }
    public required int Atoms { get; init; }

    /// <summary>Particle count per type name, in type order.</summary>
    public required IReadOnlyList<(string Name, int Count, double Mass)> Types { get; init; }

    public required Box Box { get; init; }
    public required double TimeStep { get; init; }
    public required long EquilibrationSteps { get; init; }
    public required long ProductionSteps { get; init; }

    /// <summary>Steps actually taken (equilibration and production); less than their sum when the run stopped early.</summary>
    public required long StepsCompleted { get; init; }

    public required int ThermoEvery { get; init; }
    public required double WallSeconds { get; init; }

    /// <summary>Particles × steps per wall-clock second over the whole run.</summary>
    public required double AtomStepsPerSecond { get; init; }

    public required int ListBuilds { get; init; }
    public required Precision Precision { get; init; }
    public required int Threads { get; init; }
    public required KernelPath KernelPath { get; init; }

    /// <summary>Production averages of every thermo column.</summary>
    public required IReadOnlyList<ThermoAverage> Averages { get; init; }

    /// <summary>Free-form descriptive entries (config path, potential, integrator, outputs), written as strings.</summary>
    public IReadOnlyList<(string Key, string Value)> Info { get; init; } = [];
}
