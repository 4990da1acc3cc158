namespace DiffSim.Adjoint;

/// <summary>
/// Which states of a window the forward pass keeps. Every k-th state is stored; the reverse pass recomputes the k
/// states of one segment at a time from its checkpoint. Memory is (T/k + k + 1) states, least at k ≈ √T, and each
/// step is simulated twice (once forward, once in the reverse pass).
/// </summary>
public sealed record CheckpointPolicy
{
    /// <summary>Steps between checkpoints; 0 chooses ⌈√T⌉, or the interval that fits <see cref="MemoryBudgetBytes"/>.</summary>
    public int Interval { get; init; }

    /// <summary>Upper bound on the bytes of stored states; 0 means no bound.</summary>
    public long MemoryBudgetBytes { get; init; }

    public static CheckpointPolicy Default { get; } = new();

    /// <summary>Keeps every state: no recomputation, O(T) memory.</summary>
    public static CheckpointPolicy StoreAll { get; } = new() { Interval = 1 };

    /// <summary>The interval for a window of <paramref name="steps"/> steps and states of <paramref name="stateBytes"/> bytes.</summary>
    public int Resolve(int steps, long stateBytes)
    {
        if (steps < 1) throw new ArgumentException($"a window needs at least one step, got {steps}");
        if (Interval > 0) return Math.Min(Interval, steps);
        var k = (int)Math.Ceiling(Math.Sqrt(steps));
        if (MemoryBudgetBytes <= 0) return k;
        long Bytes(int interval) => ((steps + interval - 1) / interval + interval + 1) * stateBytes;
        if (Bytes(k) > MemoryBudgetBytes)
            throw new ArgumentException(
                $"the checkpoint memory budget of {MemoryBudgetBytes} bytes cannot hold a {steps}-step window: it needs at least {Bytes(k)} bytes ({stateBytes} bytes a state); raise the budget or shorten the window");
        // Fewer checkpoints cost nothing extra in time, so take the k that fits the budget with the least memory.
        return k;
    }

    /// <summary>Stored states for a window: checkpoints plus one segment.</summary>
    public static int StatesHeld(int steps, int interval) => (steps + interval - 1) / interval + interval + 1;
}
