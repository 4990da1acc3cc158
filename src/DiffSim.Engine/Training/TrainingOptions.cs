using DiffSim.Adjoint;

namespace DiffSim.Training;

/// <summary>Settings of a training run (the <c>[train]</c> table of a fit config).</summary>
public sealed record TrainingOptions
{
    /// <summary>MD steps per window: each epoch simulates one window per state point and makes one update.</summary>
    public int WindowSteps { get; init; } = 60;

    /// <summary>Steps between frames that enter the loss.</summary>
    public int SampleEvery { get; init; } = 5;

    public int Epochs { get; init; } = 100;
    /// <summary>
    /// Adam's step size α: with Adam's normalised moments, about the largest change of a parameter per epoch, in that
    /// parameter's units (0.01 moves σ = 1 by some 1 % an epoch at first).
    /// </summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Multiplies the learning rate after every epoch (1 keeps it constant).</summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>Largest gradient norm used for an update; larger gradients are scaled down to it. 0 disables clipping.</summary>
    public double ClipNorm { get; init; }

    /// <summary>Stops when the total loss falls below this. 0 disables early stopping.</summary>
    public double LossTolerance { get; init; }

    /// <summary>A gradient norm above this is treated as a divergence: the update is skipped and training stops with an error.</summary>
    public double ExplodingGradientNorm { get; init; } = 1e8;

    public CheckpointPolicy Checkpointing { get; init; } = CheckpointPolicy.Default;

    /// <summary>
    /// β of the exponential moving average θ̄ ← βθ̄ + (1 − β)θ kept over the epochs (Polyak averaging); 0 turns it off.
    /// The window gradients are noisy, so the late iterates scatter around the optimum and their average lies closer
    /// to it than any one of them; β = 0.98 averages over about the last 50 epochs.
    /// </summary>
    public double ParameterAveraging { get; init; }

    /// <summary>
    /// State points simulated at once (each on one thread). Not the force fields' threads: a field's own
    /// <c>PairForceField.Threads</c> splits one state's forces, which for the small systems of a fit does not pay.
    /// </summary>
    public int Threads { get; init; } = 1;
}
