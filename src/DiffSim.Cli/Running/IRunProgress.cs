using DiffSim.Observables;

namespace DiffSim.Cli.Running;

/// <summary>Receives the progress of a run: a phase at a time (equilibrate, production), then steps done within it.</summary>
public interface IRunProgress
{
    void BeginPhase(string phase, long steps);

    /// <summary>Called every so many steps and at the end of a phase, with the latest thermo sample.</summary>
    void Report(long stepsDone, in ThermoSample latest);

    void EndPhase();
}
