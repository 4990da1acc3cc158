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

    /// <summary>Puts the saved run back into a trainer built from the same config.</summary>
    public void Restore(Trainer trainer)
    {
        if (Parameters.Length != trainer.Parameters.Length || States.Count != trainer.Points.Count)
            throw new InvalidOperationException("the checkpoint does not belong to this config: parameter or state-point counts differ");
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
            if (saved.Name != trainer.Points[k].Name || saved.Arrays.Length != 9 || saved.Arrays[0].Length != state.Count)
                throw new InvalidOperationException($"the checkpoint's state point {saved.Name} does not match the config's {trainer.Points[k].Name}");
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

    public static TrainingCheckpoint Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"training checkpoint \"{path}\" not found", path);
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<TrainingCheckpoint>(stream) ?? throw new InvalidDataException($"{path} is not a training checkpoint");
    }

    private static double[][] Arrays(State s) => [s.X, s.Y, s.Z, s.Vx, s.Vy, s.Vz, s.Fx, s.Fy, s.Fz];
}
