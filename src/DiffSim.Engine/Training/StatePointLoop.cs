using System.Runtime.ExceptionServices;

namespace DiffSim.Training;

/// <summary>
/// Runs one piece of work per state point, concurrently on up to a given number of threads, and lets the first state
/// point's error (by index, not by time) escape as itself: the pool's AggregateException would hide a diverged run's
/// message from the command line's handlers behind a stack trace.
/// </summary>
internal static class StatePointLoop
{
    public static void Run(int count, int threads, Action<int> body)
    {
        // One state point, or one thread, runs on the caller: no hand-off to the pool for a window of a few ms.
        if (count == 1 || threads <= 1)
        {
            for (var k = 0; k < count; k++) body(k);
            return;
        }
        var errors = new Exception?[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            try { body(k); }
            catch (Exception e) { errors[k] = e; }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first) ExceptionDispatchInfo.Capture(first).Throw();
    }
}
