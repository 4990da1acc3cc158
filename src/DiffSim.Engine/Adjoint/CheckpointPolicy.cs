namespace DiffSim.Adjoint;

/// <summary>
/// Which states of a window the forward pass keeps. When the whole window fits the memory budget, every state is
/// stored and the reverse pass walks them without simulating anything again. Otherwise every k-th state is stored
/// and the reverse pass recomputes the k states of one segment at a time from its checkpoint: memory is
/// (T/k + k + 1) states, least at k ≈ √T, and each step is simulated twice. The binomial schedule
/// (<see cref="Binomial"/>) spends a given number of states with the fewest steps simulated again.
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

    /// <summary>
    /// The binomial (Revolve) schedule instead of every k-th state (<see cref="Interval"/> is then unused): the states
    /// the budget holds, or without one as many as the ⌈√T⌉ interval would, placed so that the fewest steps are
    /// simulated again (see <see cref="BinomialSchedule"/>).
    /// </summary>
    public bool Binomial { get; init; }

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

    /// <summary>
    /// The binomial schedule's free slots for a window of <paramref name="steps"/> steps: the states held less the three
    /// it always needs (state 0, the step's "after" state and the state being simulated again), at most T − 1.
    /// </summary>
    public int ResolveSlots(int steps, long stateBytes)
    {
        if (steps < 1) throw new ArgumentException($"a window needs at least one step, got {steps}");
        var states = MemoryBudgetBytes > 0 ? MemoryBudgetBytes / stateBytes : StatesHeld(steps, (int)Math.Ceiling(Math.Sqrt(steps)));
        if (states < 3)
            throw new ArgumentException(
                $"the checkpoint memory budget of {MemoryBudgetBytes} bytes holds {states} states; the binomial schedule needs at least 3 ({3 * stateBytes} bytes, {stateBytes} bytes a state): raise the budget");
        return (int)Math.Min(states - 3, steps - 1);
    }

    /// <summary>States stored besides the live one: states 0 … T − 1 when the interval is 1, else checkpoints plus one segment.</summary>
    public static long StatesHeld(int steps, int interval)
        => interval == 1 ? steps : (steps + interval - 1) / interval + interval + 1L;
}
