namespace DiffSim.Observables;

/// <summary>
/// Thermodynamic quantities at one step. Energies are per particle (energy units), the pressure includes the
/// kinetic part (pressure units), the conserved quantity is the integrator's (per particle).
/// </summary>
public readonly record struct ThermoSample(
    long Step, double Temperature, double PotentialEnergy, double KineticEnergy, double TotalEnergy, double Pressure, double Conserved)
{
    /// <summary>Column names, in the order of <see cref="Values"/>, as written to thermo.csv.</summary>
    public static readonly string[] Columns = ["temperature", "pe", "ke", "etotal", "pressure", "conserved"];

    public double[] Values => [Temperature, PotentialEnergy, KineticEnergy, TotalEnergy, Pressure, Conserved];
}
