namespace DiffSim.Adjoint;

/// <summary>
/// Which states of a window the forward pass keeps. When the whole window fits the memory budget, every state is
/// stored and the reverse pass walks them without simulating anything again. Otherwise every k-th state is stored
/// and the reverse pass recomputes the k states of one segment at a time from its checkpoint: memory is
/// (T/k + k + 1) states, least at k ≈ √T, and each step is simulated twice.
/// </summary>
public sealed record CheckpointPolicy
{
    /// <summary>Budget for storing a whole window when no <see cref="MemoryBudgetBytes"/> is given (64 MiB).</summary>
    public const long DefaultStoreAllBytes = 64L << 20;

    /// <summary>
    /// Steps between checkpoints; 1 stores every state. 0 stores every state when the window fits the budget
    /// (<see cref="MemoryBudgetBytes"/>, or <see cref="DefaultStoreAllBytes"/> without one), and chooses ⌈√T⌉ otherwise.
    /// </summary>
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
        var storeAllBudget = MemoryBudgetBytes > 0 ? MemoryBudgetBytes : DefaultStoreAllBytes;
        if (StatesHeld(steps, 1) * stateBytes <= storeAllBudget) return 1;
        var k = (int)Math.Ceiling(Math.Sqrt(steps));
        if (MemoryBudgetBytes > 0 && StatesHeld(steps, k) * stateBytes > MemoryBudgetBytes)
            throw new ArgumentException(
                $"the checkpoint memory budget of {MemoryBudgetBytes} bytes cannot hold a {steps}-step window: it needs at least {StatesHeld(steps, k) * stateBytes} bytes ({stateBytes} bytes a state); raise the budget or shorten the window");
        return k;
    }

    /// <summary>States stored besides the live one: states 0 … T − 1 when the interval is 1, else checkpoints plus one segment.</summary>
    public static long StatesHeld(int steps, int interval)
        => interval == 1 ? steps : (steps + interval - 1) / interval + interval + 1L;
}
