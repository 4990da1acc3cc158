using System.Diagnostics;

namespace DiffSim.Bench;

/// <summary>Timing for the macro benchmarks on a shared machine: processor time, not wall time, best of several calls or their mean.</summary>
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

    /// <summary>
    /// Mean seconds of processor time of <paramref name="count"/> calls in a row: unlike the best of a few, it includes the
    /// calls that pay for occasional work (neighbour-list builds, say).
    /// </summary>
    public static double Mean(int count, Action action)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var t0 = process.TotalProcessorTime;
        for (var r = 0; r < count; r++) action();
        process.Refresh();
        return (process.TotalProcessorTime - t0).TotalSeconds / count;
    }
}
