namespace DiffSim.Potentials;

/// <summary>The interaction of one type pair as a config states it: parameter values by name and the cutoff.</summary>
public sealed record PairSpec(int TypeA, int TypeB, IReadOnlyDictionary<string, double> Parameters, double Cutoff);
