using System.Text.Json;
using DiffSim.Systems;

namespace DiffSim.Training;

/// <summary>
/// Everything a training run needs to continue exactly where it stopped: epoch, parameters, Adam's moments, the
/// learning rate, and each state point's dynamical state. Written as JSON (doubles round-trip exactly), atomically:
/// to a temporary file first, then renamed over the old one, so a crash never leaves a half-written checkpoint.
/// </summary>
public sealed class TrainingCheckpoint
{
    public int Epoch { get; set; }
    public double[] Parameters { get; set; } = [];
    public double[] FirstMoment { get; set; } = [];
    public double[] SecondMoment { get; set; } = [];
    public int AdamSteps { get; set; }
    public double LearningRate { get; set; }
    public double[] AveragedParameters { get; set; } = [];
    public List<SavedState> States { get; set; } = [];

    /// <summary>
    /// The config the run was started with, as its caller canonicalised it (the command line's "path = value" lines),
    /// so that a resumed run can refuse a changed config; empty in checkpoints written before it was kept.
    /// </summary>
    public string[] Config { get; set; } = [];

    public sealed class SavedState
    {
        public string Name { get; set; } = "";
        public long Step { get; set; }
        public double[][] Arrays { get; set; } = [];
        public double[] Thermostat { get; set; } = [];
    }

    public static TrainingCheckpoint Capture(Trainer trainer) => new()
    {
        Epoch = trainer.Epoch,
        Parameters = (double[])trainer.Parameters.Clone(),
        FirstMoment = (double[])trainer.Optimiser.FirstMoment.Clone(),
        SecondMoment = (double[])trainer.Optimiser.SecondMoment.Clone(),
        AdamSteps = trainer.Optimiser.Steps,
        LearningRate = trainer.LearningRate,
        AveragedParameters = (double[])trainer.AveragedParameters.Clone(),
        States = trainer.Points.Select(p => new SavedState
        {
            Name = p.Name,
            Step = p.State.Step,
            Arrays = Arrays(p.State).Select(a => (double[])a.Clone()).ToArray(),
            Thermostat = (double[])p.State.Thermostat.Clone(),
        }).ToList(),
    };

    /// <summary>
    /// Puts the saved run back into a trainer built from the same config. Everything is checked before anything is
    /// copied: a checkpoint of another config (or a damaged one) throws <see cref="InvalidDataException"/> and leaves
    /// the trainer as it was.
    /// </summary>
    public void Restore(Trainer trainer)
    {
        var n = trainer.Parameters.Length;
        if (Parameters.Length != n || States.Count != trainer.Points.Count)
            throw new InvalidDataException($"it belongs to another config: {Parameters.Length} parameters and {States.Count} state point(s), the config has {n} and {trainer.Points.Count}");
        if (FirstMoment.Length != n || SecondMoment.Length != n || AveragedParameters.Length is not 0 && AveragedParameters.Length != n)
            throw new InvalidDataException($"its optimiser moments or averaged parameters do not have the {n} entries of its parameters");
        if (Epoch < 0 || AdamSteps < 0 || !double.IsFinite(LearningRate) || !Parameters.All(double.IsFinite))
            throw new InvalidDataException("its epoch, learning rate or parameters are not valid");
        for (var k = 0; k < States.Count; k++)
        {
            var state = trainer.Points[k].State;
            var saved = States[k];
            if (saved.Name != trainer.Points[k].Name || saved.Arrays.Length != 9 || saved.Arrays.Any(a => a is null || a.Length != state.Count))
                throw new InvalidDataException($"its state point {k + 1} ({saved.Name}) does not match the config's {trainer.Points[k].Name} of {state.Count} particles");
        }
        Parameters.CopyTo(trainer.Parameters, 0);
        FirstMoment.CopyTo(trainer.Optimiser.FirstMoment, 0);
        SecondMoment.CopyTo(trainer.Optimiser.SecondMoment, 0);
        trainer.Optimiser.Steps = AdamSteps;
        trainer.LearningRate = LearningRate;
        trainer.Epoch = Epoch;
        trainer.RestoreAverage(AveragedParameters);
        for (var k = 0; k < States.Count; k++)
        {
            var state = trainer.Points[k].State;
            var saved = States[k];
            var targets = Arrays(state);
            for (var a = 0; a < targets.Length; a++) saved.Arrays[a].CopyTo(targets[a], 0);
            state.Thermostat = (double[])saved.Thermostat.Clone();
            state.Step = saved.Step;
        }
    }

    public void Write(string path)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
            JsonSerializer.Serialize(stream, this);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a checkpoint; a file that is not one (truncated, empty, another JSON) throws <see cref="InvalidDataException"/>.</summary>
    public static TrainingCheckpoint Read(string path)
    {
        DiffSim.IO.InputFile.Require(path, "training checkpoint");
        TrainingCheckpoint? checkpoint;
        try
        {
            using var stream = File.OpenRead(path);
            checkpoint = JsonSerializer.Deserialize<TrainingCheckpoint>(stream);
        }
        catch (JsonException e) { throw new InvalidDataException($"it is not a readable training checkpoint ({e.Message})", e); }
        // JSON null leaves a property null, which the types do not allow for.
        if (checkpoint?.Parameters is not { Length: > 0 } || checkpoint.States is not { Count: > 0 } || checkpoint.FirstMoment is null
            || checkpoint.SecondMoment is null || checkpoint.AveragedParameters is null
            || checkpoint.States.Any(s => s?.Name is null || s.Arrays is null || s.Thermostat is null))
            throw new InvalidDataException("it holds no parameters or state points: not a training checkpoint");
        checkpoint.Config ??= [];
        if (checkpoint.Config.Any(line => line is null)) throw new InvalidDataException("its config copy holds an empty entry: not a checkpoint this program wrote");
        return checkpoint;
    }

    private static double[][] Arrays(State s) => [s.X, s.Y, s.Z, s.Vx, s.Vy, s.Vz, s.Fx, s.Fy, s.Fz];
}
