namespace DiffSim.Training;

/// <summary>One training epoch: the loss of each state point, their weighted sum, the gradient norm and the parameters after the update.</summary>
public sealed record EpochRecord(int Epoch, double[] StateLosses, double TotalLoss, double GradientNorm, double[] Parameters, double LearningRate, long PeakStateBytes);
