using System.Diagnostics;

namespace DiffSim.Bench;

/// <summary>Timing for the macro benchmarks on a shared machine: processor time, not wall time, best of several calls.</summary>
internal static class ProcessorTime
{
    /// <summary>Seconds of processor time of the fastest of <paramref name="repeat"/> calls, after one warm-up call.</summary>
    public static double Best(int repeat, Action action)
    {
        action();
        var best = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < repeat; r++)
        {
            process.Refresh();
            var t0 = process.TotalProcessorTime;
            action();
            process.Refresh();
            best = Math.Min(best, (process.TotalProcessorTime - t0).TotalSeconds);
        }
        return best;
    }
}
