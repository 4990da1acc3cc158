namespace DiffSim.Training;

/// <summary>Settings of an <see cref="IterativeBoltzmannInversion"/> run.</summary>
public sealed record IbiOptions
{
    /// <summary>Updates of the potential; the run simulates Iterations + 1 potentials (u₀ … u_N).</summary>
    public int Iterations { get; init; } = 20;

    /// <summary>Sampled steps of each iteration's run.</summary>
    public int StepsPerIteration { get; init; } = 2000;

    /// <summary>Steps run with each new potential before sampling.</summary>
    public int Equilibrate { get; init; } = 200;

    /// <summary>Steps run with u₀ before the first iteration (melting the start structure).</summary>
    public int InitialEquilibrate { get; init; } = 1000;

    /// <summary>A frame of the histogram (and a pressure sample) every this many steps.</summary>
    public int SampleEvery { get; init; } = 10;

    /// <summary>α in Δu = α kT ln(g/g*).</summary>
    public double Damping { get; init; } = 0.3;

    /// <summary>g (and g*) below which the ratio is not used: the core and its noisy edge.</summary>
    public double Threshold { get; init; } = 0.02;

    /// <summary>Passes of the [1 2 1]/4 filter over each update.</summary>
    public int SmoothingPasses { get; init; } = 2;

    /// <summary>The potential and each update are switched to zero over the last <c>Taper × cutoff</c>.</summary>
    public double Taper { get; init; } = 0.1;

    /// <summary>Knot spacing of the tables and bin width of the histograms.</summary>
    public double GridSpacing { get; init; } = 0.02;

    /// <summary>Histogram range; at least the largest cutoff and at most half the shortest box edge of every state.</summary>
    public required double RdfMax { get; init; }

    /// <summary>The RMS error of g is taken over bin centres in [ErrorRMin, ErrorRMax].</summary>
    public double ErrorRMin { get; init; }

    public double ErrorRMax { get; init; } = double.PositiveInfinity;

    /// <summary>Add the pressure ramp of Reith et al. for state points with a target pressure.</summary>
    public bool PressureCorrection { get; init; }

    /// <summary>f in A = −0.1 kT sign(ΔP) min(1, f|ΔP|); null: 1/(ρ kT) in pressure units, the ideal-gas pressure's inverse.</summary>
    public double? PressureScale { get; init; }

    /// <summary>Neighbour-list skin of the tabulated fields.</summary>
    public double Skin { get; init; } = 0.3;

    /// <summary>State points run at the same time.</summary>
    public int Threads { get; init; } = 1;
}
