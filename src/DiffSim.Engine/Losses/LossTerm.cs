namespace DiffSim.Losses;

/// <summary>
/// One term of a state point's loss: <see cref="Loss"/> applied to the entries <see cref="Offset"/> …
/// <see cref="Offset"/> + Loss.Length − 1 of observable number <see cref="Observable"/>'s window average.
/// </summary>
public sealed record LossTerm(string Name, int Observable, int Offset, IWindowLoss Loss);
