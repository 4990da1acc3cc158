using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// A half Verlet list: every unordered pair closer than range = cutoff + skin stored once, under its first partner
/// and grouped by the type of the second, for kernels that run on one thread and scatter each pair's term into both
/// partners (the adjoint's force-Jacobian products). The partners j of particle i of type t are
/// <see cref="Neighbours"/>[<see cref="Start"/>[i·T + t] .. <see cref="Start"/>[i·T + t + 1]], T the number of types.
/// </summary>
/// <remarks>
/// Half the pair evaluations of a full list, and one potential per group, so that a kernel can run four partners of
/// one particle at a time. The pairs come from <see cref="PairSearch"/> (the vectorised all-pairs scan on small
/// boxes, half-width cells on large ones) and are sorted into groups by a counting sort. Positions are not wrapped
/// in the state; kernels take the minimum image. Rebuilt when a particle has moved more than skin/2.
/// </remarks>
public sealed class HalfPairList
{
    private readonly PairSearch _search = new();
    private readonly DisplacementCheck _moved;
    private int[] _start = [], _next = [];
    private int[] _neighbours = [];

    public HalfPairList(double cutoff, double skin)
    {
        if (!(cutoff > 0)) throw new ArgumentException($"cutoff must be positive, got {cutoff}");
        if (!(skin >= 0)) throw new ArgumentException($"neighbour skin must be non-negative, got {skin}");
        Cutoff = cutoff;
        Skin = skin;
        _moved = new DisplacementCheck(skin);
    }

    public double Cutoff { get; }
    public double Skin { get; }
    public double Range => Cutoff + Skin;

    /// <summary>Offsets of the groups (particle i, partner type t) into <see cref="Neighbours"/>, at i·T + t; N·T + 1 entries.</summary>
    public int[] Start => _start;

    /// <summary>
    /// Second partners, group by group. Holds <see cref="PaddingEntries"/> valid particle indices past the last group,
    /// so that a kernel may read a whole vector of partners at the end of any group.
    /// </summary>
    public int[] Neighbours => _neighbours;

    /// <summary>Entries readable past the end of <see cref="Neighbours"/>' last group.</summary>
    public const int PaddingEntries = 8;

    /// <summary>Number of stored pairs.</summary>
    public int Count { get; private set; }

    /// <summary>Number of builds so far.</summary>
    public int Builds { get; private set; }

    /// <summary>True when the list has never been built, or some particle moved more than skin/2 since the last build.</summary>
    public bool NeedsRebuild(State state) => _moved.NeedsRebuild(state);

    /// <summary>Makes the next <see cref="NeedsRebuild"/> true.</summary>
    public void Invalidate() => _moved.Invalidate();

    public void Build(State state)
    {
        // With a skin the range may pass half the box; the minimum image then still finds every pair within the cutoff.
        state.Box.EnsureFits(Cutoff);
        var n = state.Count;
        var types = state.Types.Count;
        var type = state.TypeOf;
        _search.Collect(state, Range);
        var pi = _search.I; var pj = _search.J;
        Count = pi.Length;

        // Counting sort by group i·T + type(j).
        if (_start.Length != n * types + 1) _start = new int[n * types + 1];
        else Array.Clear(_start);
        for (var k = 0; k < Count; k++) _start[pi[k] * types + type[pj[k]] + 1]++;
        for (var g = 0; g < n * types; g++) _start[g + 1] += _start[g];
        if (_neighbours.Length < Count + PaddingEntries) _neighbours = new int[Count + Count / 4 + PaddingEntries];
        if (_next.Length != n * types) _next = new int[n * types];
        _start.AsSpan(0, n * types).CopyTo(_next);
        for (var k = 0; k < Count; k++) _neighbours[_next[pi[k] * types + type[pj[k]]]++] = pj[k];
        _neighbours.AsSpan(Count).Clear();

        _moved.Remember(state);
        Builds++;
    }

    /// <summary>Bytes held by the list.</summary>
    public long Bytes => (long)(_start.Length + _neighbours.Length) * sizeof(int) + _moved.Bytes;
}
