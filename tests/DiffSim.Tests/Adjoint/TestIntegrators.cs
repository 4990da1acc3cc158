using DiffSim.Integrators;

namespace DiffSim.Tests.Adjoint;

/// <summary>The integrators the window-gradient tests run, by name: dt = 0.005 at T = 1, a short Nosé–Hoover damping time so the thermostat acts within a window.</summary>
internal static class TestIntegrators
{
    public static IIntegrator Make(string kind) => kind switch
    {
        "nve" => new VelocityVerlet(0.005),
        "nhc" => new NoseHooverChain(0.005, 1.0, 0.05, 3),
        "langevin" => new Langevin(0.005, 1.0, 0.2, seed: 3),
        _ => throw new ArgumentException(kind),
    };
}
