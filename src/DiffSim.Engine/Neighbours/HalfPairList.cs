using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Numerics;
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
/// Half the pair evaluations of a full list, and one potential per group; the reverse passes read it cut into
/// <see cref="PartnerSlices"/>, a particle per lane. The pairs come from <see cref="PairSearch"/> (the vectorised all-pairs scan on small
/// boxes, half-width cells on large ones), or from a longer search already made (an RDF frame's), and are sorted
/// into groups. Positions are not wrapped in the state; kernels take the minimum image, and so does the rebuild rule
/// (a particle has moved more than skin/2), so that the forward list's wrapping of the positions forces no rebuild.
/// </remarks>
public sealed class HalfPairList
{
    private readonly PairSearch _search = new();
    private readonly DisplacementCheck _moved;
    private int[] _start = [], _next = [];
    // CompactRuns' output: the kept partners run by run, and each particle's run in it.
    private int[] _scratch = [], _runStart = [], _runEnd = [];
    private int[] _neighbours = [];
    private (PairSearch? Pairs, State? State, IReadOnlyList<State>? Served) _offered;
    // The states the current build was sized for, and their steps (a buffer state reused for another step is not one).
    private readonly List<(State State, long Step)> _served = [];

    public HalfPairList(double cutoff, double skin)
    {
        if (!(cutoff > 0)) throw new ArgumentException($"cutoff must be positive, got {cutoff}");
        if (!(skin >= 0)) throw new ArgumentException($"neighbour skin must be non-negative, got {skin}");
        Cutoff = cutoff;
        Skin = skin;
        _moved = new DisplacementCheck(skin, minimumImage: true);
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

    /// <summary>
    /// The longest skin of the reverse pass's lists where the states a list will serve are not known in advance (its
    /// own searches, and frames offered under the binomial schedule; a list built from a frame for known states reaches
    /// only as far as they need, <see cref="ServedSkin"/>). Such a list serves the states up to half a sampling interval
    /// either side of a frame (2 steps at the paper's 5), so it needs a shorter skin than the forward list, and every
    /// masked entry beyond the cutoff costs each of the 60 passes: at ρ = 0.3, T = 1.2, 0.2 instead of 0.3 made the
    /// passes 7 % faster for one extra search a window; 0.15 asked for more searches than it saved.
    /// </summary>
    public const double ReversePassSkin = 0.2;

    /// <summary>Entries readable past the end of <see cref="Neighbours"/>' last group.</summary>
    public const int PaddingEntries = 8;

    /// <summary>Number of stored pairs.</summary>
    public int Count { get; private set; }

    /// <summary>Number of builds so far.</summary>
    public int Builds { get; private set; }

    /// <summary>The reach beyond the cutoff of the last build: <see cref="Skin"/>, or what the states a frame's build serves need.</summary>
    public double BuiltSkin { get; private set; }

    /// <summary>
    /// True when the list has never been built, or some particle moved more than skin/2 since the last build (more than
    /// the largest move of its served states, for a build sized for them).
    /// </summary>
    public bool NeedsRebuild(State state) => _moved.NeedsRebuild(state);

    /// <summary>Makes the next <see cref="NeedsRebuild"/> true.</summary>
    public void Invalidate()
    {
        _moved.Invalidate();
        _served.Clear();
    }

    public void Build(State state)
    {
        // With a skin the range may pass half the box; the minimum image then still finds every pair within the cutoff.
        state.Box.EnsureFits(Cutoff);
        _search.Collect(state, Range);
        Sort(state, _search, double.PositiveInfinity);
        Remember(state, Skin, largestMove2: null);
    }

    /// <summary>
    /// Remembers pairs found at <paramref name="frameState"/> (an RDF frame's) for the next <see cref="Update"/>, which
    /// builds from them at the frame's positions if they reach the range; the list then serves a state as long as the
    /// displacement rule allows, as any list does. Given the states the list will serve (<paramref name="served"/>,
    /// known in a reverse pass), it reaches only as far as they need: r_c plus twice their largest move from the frame
    /// (<see cref="ServedSkin"/>) instead of the skin, and serves exactly them without a search or a displacement check.
    /// The caller leaves them unchanged while the list serves them.
    /// </summary>
    internal void Offer(PairSearch pairs, State frameState, IReadOnlyList<State>? served = null) => _offered = (pairs, frameState, served);

    /// <summary>
    /// Builds from the pairs offered since the last call, if any, and then searches itself if still stale for
    /// <paramref name="state"/>: one of the states the build was sized for is not (the same move from the frame).
    /// </summary>
    internal void Update(State state)
    {
        if (_offered.Pairs is { } found) Build(_offered.State!, found, _offered.Served);
        _offered = default;
        if (!Serves(state) && NeedsRebuild(state)) Build(state);
    }

    /// <summary>Whether <paramref name="state"/> is one of the states the current build was sized for, still at its step.</summary>
    private bool Serves(State state)
    {
        foreach (var (served, step) in _served)
            if (ReferenceEquals(served, state) && step == state.Step) return true;
        return false;
    }

    /// <summary>
    /// The reach beyond the cutoff that the states <paramref name="served"/> need of a list built at
    /// <paramref name="frameState"/>: twice their largest move from it, so that no pair outside the list comes within
    /// the cutoff, plus a margin for the rounding of the kernels' separations (the float passes round positions to
    /// 6·10⁻⁸ of the box edge: the margin is 10⁻⁴ of the cutoff and 10⁻⁵ of the longest edge). Also the squared move
    /// up to which the build serves a state.
    /// </summary>
    internal double ServedSkin(State frameState, IReadOnlyList<State> served, out double largestMove2)
    {
        largestMove2 = 0;
        for (var k = 0; k < served.Count; k++) largestMove2 = Math.Max(largestMove2, _moved.LargestMove2(frameState, served[k]));
        var box = frameState.Box;
        return 2 * Math.Sqrt(largestMove2) + 1e-4 * Cutoff + 1e-5 * Math.Max(box.Lx, Math.Max(box.Ly, box.Lz));
    }

    /// <summary>
    /// Builds from pairs already found at this state (an RDF frame's search, whose range is longer), keeping those
    /// closer than <see cref="Range"/>, or than r_c + <see cref="ServedSkin"/> for the states <paramref name="served"/>:
    /// the pairs of a search of its own without the search (in the same groups and order on the all-pairs scan's small
    /// boxes; on the cell search's, a pair's first partner follows the found search's cell order).
    /// Returns false, building nothing, when <paramref name="found"/> does not hold the state or reaches less far.
    /// </summary>
    internal bool Build(State state, PairSearch found, IReadOnlyList<State>? served = null)
    {
        var skin = Skin;
        double? largestMove2 = null;
        if (served is not null)
        {
            skin = ServedSkin(state, served, out var move2);
            largestMove2 = move2;
        }
        if (found.Cutoff < Cutoff + skin || !found.Holds(state)) return false;
        state.Box.EnsureFits(Cutoff);
        Sort(state, found, Cutoff + skin);
        Remember(state, skin, largestMove2);
        for (var k = 0; k < (served?.Count ?? 0); k++) _served.Add((served![k], served[k].Step));
        return true;
    }

    /// <summary>
    /// Remembers a build reaching <paramref name="skin"/> beyond the cutoff: stale by the displacement rule of the
    /// list's skin, or, for a build sized for its served states, past their <paramref name="largestMove2"/>.
    /// </summary>
    private void Remember(State state, double skin, double? largestMove2)
    {
        if (largestMove2 is { } move2) _moved.Remember(state, move2);
        else _moved.Remember(state);
        _served.Clear();
        BuiltSkin = skin;
        Builds++;
    }

    /// <summary>
    /// The pairs of <paramref name="pairs"/> closer than <paramref name="range"/> into groups i·T + type(j). With one
    /// type the kept partners are compacted without a branch per pair, each kept partner advancing the write position,
    /// so that no pair waits on the previous pair's increment of the same counter: in place when the pairs come in order
    /// of i (the all-pairs scan), else run by run (the cell search gives each first partner's pairs in one run, in cell
    /// order) and the runs then copied into the order of i. Otherwise (several types, or a first partner in two runs) a
    /// counting sort.
    /// </summary>
    private void Sort(State state, PairSearch pairs, double range)
    {
        var n = state.Count;
        var types = state.Types.Count;
        var groups = n * types;
        var pi = pairs.I; var pj = pairs.J; var r = pairs.R;
        var length = pi.Length;
        if (_start.Length != groups + 1) _start = new int[groups + 1];
        if (_neighbours.Length < length + PaddingEntries) _neighbours = new int[length + length / 4 + PaddingEntries];
        ref var i0 = ref MemoryMarshal.GetReference(pi);
        ref var j0 = ref MemoryMarshal.GetReference(pj);
        ref var r0 = ref MemoryMarshal.GetReference(r);
        ref var start = ref MemoryMarshal.GetArrayDataReference(_start);

        if (types == 1 && pairs.FirstPartnersAscending)
        {
            // In order of i (the all-pairs scan), compacted in place: a group's entry is written by each of its pairs,
            // the last leaving its end; groups without pairs keep -1, then take the end of the group before.
            ref var neighbours = ref MemoryMarshal.GetArrayDataReference(_neighbours);
            _start.AsSpan().Fill(-1);
            start = 0;
            var m = 0;
            // The range in a local: read from the parameter, the JIT spilled and reloaded it every pair (18 → 30 µs).
            var limit = range;
            var k = 0;
            if (Avx2.IsSupported)
            {
                // Four pairs at a time: the kept partners left-packed by one permute, and each pair's group end the
                // count after it, so that the count advances once per four pairs.
                var limit4 = Vector256.Create(limit);
                for (; k + 4 <= length; k += 4)
                {
                    var keep = (uint)Vector256.LessThan(Vector256.LoadUnsafe(ref r0, (nuint)k), limit4).ExtractMostSignificantBits();
                    var partners = Vector256.Create(Vector128.LoadUnsafe(ref j0, (nuint)k), Vector128<int>.Zero);
                    Avx2.PermuteVar8x32(partners, LeftPack.Lanes(keep)).GetLower().StoreUnsafe(ref neighbours, (nuint)m);
                    int m0 = m + (int)(keep & 1), m1 = m0 + (int)(keep >> 1 & 1), m2 = m1 + (int)(keep >> 2 & 1);
                    Unsafe.Add(ref start, Unsafe.Add(ref i0, k) + 1) = m0;
                    Unsafe.Add(ref start, Unsafe.Add(ref i0, k + 1) + 1) = m1;
                    Unsafe.Add(ref start, Unsafe.Add(ref i0, k + 2) + 1) = m2;
                    m += BitOperations.PopCount(keep);
                    Unsafe.Add(ref start, Unsafe.Add(ref i0, k + 3) + 1) = m;
                }
            }
            for (; k < length; k++)
            {
                Unsafe.Add(ref neighbours, m) = Unsafe.Add(ref j0, k);
                m += Unsafe.Add(ref r0, k) < limit ? 1 : 0;
                Unsafe.Add(ref start, Unsafe.Add(ref i0, k) + 1) = m;
            }
            for (var g = 0; g < groups; g++)
                if (Unsafe.Add(ref start, g + 1) < 0) Unsafe.Add(ref start, g + 1) = Unsafe.Add(ref start, g);
            Count = m;
        }
        else if (types == 1 && CompactRuns(n, length, ref i0, ref j0, ref r0, range))
        {
            // The runs' kept partners, in the order of i.
            start = 0;
            for (var i = 0; i < n; i++)
            {
                var kept = _runStart[i] < 0 ? 0 : _runEnd[i] - _runStart[i];
                if (kept > 0) _scratch.AsSpan(_runStart[i], kept).CopyTo(_neighbours.AsSpan(Unsafe.Add(ref start, i), kept));
                Unsafe.Add(ref start, i + 1) = Unsafe.Add(ref start, i) + kept;
            }
            Count = Unsafe.Add(ref start, n);
        }
        else
        {
            Array.Clear(_start);
            var count = 0;
            for (var k = 0; k < length; k++)
            {
                if (!(r[k] < range)) continue;
                _start[pi[k] * types + state.TypeOf[pj[k]] + 1]++;
                count++;
            }
            Count = count;
            for (var g = 0; g < groups; g++) _start[g + 1] += _start[g];
            if (_next.Length != groups) _next = new int[groups];
            _start.AsSpan(0, groups).CopyTo(_next);
            for (var k = 0; k < length; k++)
                if (r[k] < range) _neighbours[_next[pi[k] * types + state.TypeOf[pj[k]]]++] = pj[k];
        }
        _neighbours.AsSpan(Count).Clear();
    }

    /// <summary>
    /// Compacts the kept partners of each run of one first partner into the scratch list (each kept partner advances the
    /// write position; a run's end is stored when the next begins) and records where each particle's run lies; false if
    /// some particle has pairs in two runs.
    /// </summary>
    private bool CompactRuns(int n, int length, ref int i0, ref int j0, ref double r0, double range)
    {
        if (_runStart.Length != n) { _runStart = new int[n]; _runEnd = new int[n]; }
        if (_scratch.Length < length + 1) _scratch = new int[length + length / 4 + 1];
        // -1: no run yet (a particle without pairs keeps it, an empty run).
        _runStart.AsSpan().Fill(-1);
        ref var scratch = ref MemoryMarshal.GetArrayDataReference(_scratch);
        var m = 0;
        var previous = -1;
        for (var k = 0; k < length; k++)
        {
            var i = Unsafe.Add(ref i0, k);
            if (i != previous)
            {
                if (previous >= 0) _runEnd[previous] = m;
                if (_runStart[i] >= 0) return false;
                _runStart[i] = m;
                previous = i;
            }
            Unsafe.Add(ref scratch, m) = Unsafe.Add(ref j0, k);
            m += Unsafe.Add(ref r0, k) < range ? 1 : 0;
        }
        if (previous >= 0) _runEnd[previous] = m;
        return true;
    }

    /// <summary>Bytes held by the list.</summary>
    public long Bytes => (long)(_start.Length + _neighbours.Length) * sizeof(int) + _moved.Bytes;
}
