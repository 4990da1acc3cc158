using System.Globalization;
using DiffSim.Observables;
using Spectre.Console;

namespace DiffSim.Cli.Running;

/// <summary>Progress bars in a terminal (Spectre.Console): one task per phase, with the temperature and potential energy as they go.</summary>
public sealed class SpectreProgress : IRunProgress
{
    private readonly ProgressContext _context;
    private ProgressTask? _task;
    private string _phase = "";

    private SpectreProgress(ProgressContext context) => _context = context;

    /// <summary>Runs <paramref name="work"/> with progress bars drawn on the terminal.</summary>
    public static T Run<T>(IAnsiConsole console, Func<IRunProgress, T> work)
        => console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx => work(new SpectreProgress(ctx)));

    public void BeginPhase(string phase, long steps)
    {
        _phase = phase;
        _task = _context.AddTask(phase, maxValue: Math.Max(steps, 1));
        if (steps == 0) _task.Value = 1;
    }

    public void Report(long stepsDone, in ThermoSample latest)
    {
        if (_task is null) return;
        _task.Value = stepsDone;
        _task.Description = string.Create(CultureInfo.InvariantCulture, $"{_phase,-11} T {latest.Temperature,8:G4}  pe {latest.PotentialEnergy,9:G5}");
    }

    public void EndPhase()
    {
        if (_task is not null) _task.Value = _task.MaxValue;
    }
}
