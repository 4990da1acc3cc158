namespace DiffSim.Forces;

/// <summary>Totals of one force evaluation: potential energy U and the pair virial W = Σ_pairs r_ij · F_ij (energy units).</summary>
public readonly record struct ForceResult(double Energy, double Virial);
