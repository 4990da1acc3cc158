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
    /// The smallest step in which this process's processor time advances, from a few spins (about 50 ms at most).
    /// Linux on bare metal counts in nanoseconds; the device machine's guest counted whole 4 ms ticks, where a best of
    /// 40 read 10.7 ms for a 3.6 ms step.
    /// </summary>
    public static TimeSpan Granularity()
    {
        var process = Process.GetCurrentProcess();
        var smallest = TimeSpan.MaxValue;
        var watch = Stopwatch.StartNew();
        process.Refresh();
        var last = process.TotalProcessorTime;
        for (var changes = 0; changes < 5 && watch.ElapsedMilliseconds < 50;)
        {
            process.Refresh();
            var now = process.TotalProcessorTime;
            if (now == last) continue;
            smallest = now - last < smallest ? now - last : smallest;
            last = now;
            changes++;
        }
        return smallest == TimeSpan.MaxValue ? watch.Elapsed : smallest;
    }

    /// <summary>A warning line where processor time is too coarse for timings of <paramref name="shortest"/>; null where it serves.</summary>
    public static string? CoarsenessWarning(TimeSpan shortest)
    {
        var step = Granularity();
        return step.TotalMilliseconds * 10 <= shortest.TotalMilliseconds ? null
            : $"warning: processor time advances here in steps of {step.TotalMilliseconds:F2} ms, too coarse for these timings; read the wall-clock figures (training --distribution, macro without --cpu)";
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
