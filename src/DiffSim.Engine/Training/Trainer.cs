using DiffSim.Adjoint;

namespace DiffSim.Training;

/// <summary>Raised when training produces a non-finite or exploding gradient; the parameters are left as they were before that epoch.</summary>
public sealed class TrainingDivergedException(int epoch, string detail)
    : Exception($"training stopped at epoch {epoch}: {detail}; lower the learning rate, enable gradient clipping (clip), or shorten the window{(epoch == 1 ? " (at the first epoch no update has happened yet: the time step or the starting potential may be the cause)" : "")}")
{
    public int Epoch { get; } = epoch;
}

/// <summary>
/// Fits one parameter vector θ, shared by every state point, by Adam on the weighted sum of the state points' window
/// losses. Each epoch runs one window per state point (concurrently), continuing from where the last one ended, as
/// Wang et al. (J. Chem. Phys. 158, 044113 (2023)) do.
/// </summary>
public sealed class Trainer
{
    /// <param name="points">The systems fitted at once; none may share an object with another.</param>
    /// <param name="initial">θ to start from, in the order of the fields' <see cref="IDifferentiableForceField.ParameterNames"/>.</param>
    /// <param name="free">Which entries of θ Adam moves (the others stay fixed), in the same order.</param>
    /// <param name="options">Windows, epochs, learning rate and its decay, clipping, threads (state points run concurrently).</param>
    public Trainer(IReadOnlyList<StatePoint> points, double[] initial, bool[] free, TrainingOptions options)
    {
        if (points.Count == 0) throw new ArgumentException("training needs at least one state point");
        if (free.Length != initial.Length) throw new ArgumentException("one free flag per parameter is needed");
        EnsureNothingShared(points);
        foreach (var p in points)
        {
            if (p.Field.ParameterCount != initial.Length)
                throw new ArgumentException($"state point {p.Name} has {p.Field.ParameterCount} parameters, expected {initial.Length}");
            p.Gradient = new WindowGradient(p.Field, p.Integrator);
        }
        Points = points;
        Parameters = (double[])initial.Clone();
        Free = free;
        Options = options;
        Optimiser = new Adam(initial.Length);
        LearningRate = options.LearningRate;
    }

    /// <summary>
    /// State points run concurrently, and each one's state, field, integrator and observables hold buffers that its
    /// window writes: one object in two state points would be written by two threads at once (memory corruption in the
    /// unchecked kernels, not an exception), so it is refused here.
    /// </summary>
    private static void EnsureNothingShared(IReadOnlyList<StatePoint> points)
    {
        var owner = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        void Claim(object item, string what, StatePoint p)
        {
            if (!owner.TryAdd(item, p.Name))
                throw new ArgumentException($"state points {owner[item]} and {p.Name} share one {what} object; give each state point its own (they run concurrently and write into it)");
        }
        foreach (var p in points)
        {
            Claim(p.State, "state", p);
            Claim(p.Field, "force field", p);
            Claim(p.Integrator, "integrator", p);
            foreach (var o in p.Observables) Claim(o, "observable", p);
        }
    }

    public IReadOnlyList<StatePoint> Points { get; }
    public double[] Parameters { get; }
    public bool[] Free { get; }
    public TrainingOptions Options { get; }
    public Adam Optimiser { get; }
    public double LearningRate { get; set; }

    /// <summary>The moving average of θ (see <see cref="TrainingOptions.ParameterAveraging"/>); θ itself when averaging is off or before the first epoch.</summary>
    public double[] AveragedParameters { get; private set; } = [];

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    /// <summary>Runs each state point's equilibration with the current parameters.</summary>
    public void Equilibrate()
    {
        StatePointLoop.Run(Points.Count, Options.Threads, k =>
        {
            var p = Points[k];
            p.Field.SetParameters(Parameters);
            try { new Simulation(p.State, p.Field, p.Integrator).Run(p.EquilibrationSteps); }
            catch (SimulationDivergedException e) { throw new SimulationDivergedException(e.Step, $"equilibrating state point {p.Name}, {e.Detail}"); }
        });
    }

    /// <summary>One window per state point and one update. Throws <see cref="TrainingDivergedException"/> before touching θ if the gradient is not usable.</summary>
    public EpochRecord Step()
    {
        var results = new WindowResult[Points.Count];
        StatePointLoop.Run(Points.Count, Options.Threads, k => results[k] = RunWindow(k));

        var gradient = new double[Parameters.Length];
        var total = 0.0;
        var losses = new double[Points.Count];
        long peak = 0;
        for (var k = 0; k < Points.Count; k++)
        {
            var w = Points[k].Weight;
            losses[k] = results[k].Loss;
            total += w * results[k].Loss;
            for (var p = 0; p < gradient.Length; p++) gradient[p] += w * results[k].ParameterGradient[p];
            peak += results[k].PeakStateBytes;
        }

        var norm = 0.0;
        for (var p = 0; p < gradient.Length; p++) if (Free[p]) norm += gradient[p] * gradient[p];
        norm = Math.Sqrt(norm);
        if (!double.IsFinite(total) || !double.IsFinite(norm))
            throw new TrainingDivergedException(Epoch + 1, $"the loss ({total}) or its gradient norm ({norm}) is not finite");
        if (norm > Options.ExplodingGradientNorm)
            throw new TrainingDivergedException(Epoch + 1, $"the gradient norm {norm:G4} exceeds {Options.ExplodingGradientNorm:G4}");
        if (Options.ClipNorm > 0 && norm > Options.ClipNorm)
            for (var p = 0; p < gradient.Length; p++) gradient[p] *= Options.ClipNorm / norm;

        var rate = LearningRate;
        Optimiser.Update(Parameters, gradient, rate, Free);
        Average();
        LearningRate *= Options.LearningRateDecay;
        Epoch++;
        return new EpochRecord(Epoch, losses, total, norm, (double[])Parameters.Clone(), rate, peak);
    }

    private WindowResult RunWindow(int k)
    {
        var p = Points[k];
        p.Field.SetParameters(Parameters);
        try
        {
            // A state point of weight zero is monitored, not trained on: its window runs forward only.
            return p.Weight == 0
                ? p.Gradient!.Evaluate(p.State, Options.WindowSteps, Options.SampleEvery, p.Observables, p.Loss)
                : p.Gradient!.Run(p.State, Options.WindowSteps, Options.SampleEvery, p.Observables, p.Loss, Options.Checkpointing);
        }
        catch (SimulationDivergedException e)
        {
            throw new TrainingDivergedException(Epoch + 1, $"state point {p.Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Runs epochs until <see cref="TrainingOptions.Epochs"/> are done, the loss falls below the tolerance, or
    /// cancellation; <paramref name="onEpoch"/> sees each record (to log it or write a checkpoint). It does not
    /// equilibrate: call <see cref="Equilibrate"/> first on a fresh run (a resumed one restores equilibrated states).
    /// </summary>
    public IReadOnlyList<EpochRecord> Run(Action<EpochRecord>? onEpoch = null, CancellationToken cancel = default)
    {
        var records = new List<EpochRecord>();
        while (Epoch < Options.Epochs && !cancel.IsCancellationRequested)
        {
            var record = Step();
            records.Add(record);
            onEpoch?.Invoke(record);
            if (Options.LossTolerance > 0 && record.TotalLoss < Options.LossTolerance) break;
        }
        return records;
    }

    private void Average()
    {
        var beta = Options.ParameterAveraging;
        if (beta <= 0 || AveragedParameters.Length != Parameters.Length)
        {
            AveragedParameters = (double[])Parameters.Clone();
            return;
        }
        for (var k = 0; k < Parameters.Length; k++) AveragedParameters[k] = beta * AveragedParameters[k] + (1 - beta) * Parameters[k];
    }

    /// <summary>Restores the moving average from a checkpoint.</summary>
    internal void RestoreAverage(double[] averaged) => AveragedParameters = (double[])averaged.Clone();
}
