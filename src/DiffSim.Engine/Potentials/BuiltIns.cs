namespace DiffSim.Potentials;

/// <summary>Registers the engine's analytic potentials with <see cref="PotentialCatalog"/> under their config names.</summary>
internal static class BuiltIns
{
    public static void Register()
    {
        // The generated potentials (Mie, Morse, Yukawa, WCA, ...) are added here as they are declared.
    }
}
