using System.Diagnostics;
using System.Globalization;
using DiffSim.Observables;

namespace DiffSim.Cli.Running;

/// <summary>Progress as plain lines (for logs and batch jobs): one line at every 10% of each phase.</summary>
public sealed class PlainProgress(TextWriter output, int atoms) : IRunProgress
{
    private readonly Stopwatch _clock = new();
    private string _phase = "";
    private long _steps;
    private int _nextDecile;

    public void BeginPhase(string phase, long steps)
    {
        _phase = phase;
        _steps = steps;
        _nextDecile = 1;
        _clock.Restart();
    }

    public void Report(long stepsDone, in ThermoSample latest)
    {
        if (_steps == 0 || stepsDone * 10 < _nextDecile * _steps) return;
        while (stepsDone * 10 >= _nextDecile * _steps) _nextDecile++;
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? atoms * (double)stepsDone / seconds : 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {_phase,-11} {100.0 * stepsDone / _steps,5:F0}%  thermo at step {latest.Step,9}:  T {latest.Temperature,9:G5}  pe {latest.PotentialEnergy,10:G6}  {seconds,7:F1} s  {rate:E2} atom-steps/s"));
        output.Flush();
    }

    public void EndPhase() { }
}
