using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffSim.Neighbours;

/// <summary>
/// A <see cref="HalfPairList"/> cut into slices of first partners, one per lane of a kernel's vector (sliced ELLPACK):
/// lane l of a slice runs its own particle's partners, so that a kernel holds its first partners in its lanes and reads
/// one partner of each per step, instead of a vector of partners of one particle.
/// </summary>
/// <remarks>
/// <para>A slice holds particles of one type. For each partner type t it has a block of L vectors, L the most partners
/// of type t among its particles: entry k of lane l at <see cref="BlockStart"/> + Width·k + l. Lanes past their
/// particle's count repeat the particle itself (a finite separation of zero, masked by <see cref="Counts"/>).</para>
/// <para>Why: with a particle per row, a row's last vector is part empty (rows of the paper's 256-atom system hold 0 to
/// 25 partners, 12.6 on average: 520 float vectors for 3,223 pairs), and every row pays for its reductions and a loop exit
/// that the branch predictor misses. Rows sorted by length within windows of <see cref="Window"/> particles fill the
/// slices of eight to 93 % (431 vectors), and a slice's particles sum their terms in their lanes, stored once per slice.</para>
/// </remarks>
internal sealed unsafe class PartnerSlices
{
    /// <param name="width">First partners per slice: the lanes of the kernel's vector (8 float, 4 double).</param>
    public PartnerSlices(int width)
    {
        if (width is not (4 or 8)) throw new ArgumentOutOfRangeException(nameof(width), $"slices are 4 or 8 particles wide, not {width}");
        Width = width;
    }

    /// <summary>First partners per slice.</summary>
    public int Width { get; }

    /// <summary>
    /// Particles sorted by partner count together: short enough that a slice's particles stay near each other in the
    /// list's order (its cell order on large boxes), long enough to group similar counts.
    /// </summary>
    private const int Window = 64;

    private int[] _byType = [], _count = [], _order = [], _next = [];

    /// <summary>The particles of slice s, in its lanes: <see cref="Width"/> from s·<see cref="Width"/>.</summary>
    public int[] Particles { get; private set; } = [];

    /// <summary>Type of slice s's particles.</summary>
    public int[] SliceType { get; private set; } = [];

    /// <summary>Offsets of block (s, t) into <see cref="Entries"/> at s·T + t; SliceCount·T + 1 of them.</summary>
    public int[] BlockStart { get; private set; } = [];

    /// <summary>Each lane's partner count in block (s, t) (for a lane mask): <see cref="Width"/> from (s·T + t)·<see cref="Width"/>.</summary>
    public int[] Counts { get; private set; } = [];

    /// <summary>The partners, block by block, lane fastest.</summary>
    public int[] Entries { get; private set; } = [];

    public int SliceCount { get; private set; }

    /// <summary>The <see cref="HalfPairList.Builds"/> of the list these slices were cut from; −1 before the first.</summary>
    public int ListBuilds { get; private set; } = -1;

    /// <summary>
    /// Cuts <paramref name="list"/> (built for particles of types <paramref name="typeOf"/>, <paramref name="types"/>
    /// types) into slices, unless these are already its current build's (one list per slices object).
    /// </summary>
    public void Update(HalfPairList list, ReadOnlySpan<int> typeOf, int types)
    {
        if (ListBuilds == list.Builds) return;
        var n = typeOf.Length;
        if (_order.Length != n) { _byType = new int[n]; _count = new int[n]; _order = new int[n]; }
        var slices = Order(typeOf, types, ref MemoryMarshal.GetArrayDataReference(list.Start));

        SliceCount = slices;
        if (Particles.Length < slices * Width)
        {
            Particles = new int[slices * Width];
            SliceType = new int[slices];
            Counts = new int[slices * types * Width];
        }
        if (BlockStart.Length < slices * types + 1) BlockStart = new int[slices * types + 1];

        // Each slice's particles (a type's last slice repeats its first particle in the lanes it lacks, with no
        // partners), and each block's counts and length; then the entries, sized to the blocks (a bound from the pair
        // count alone would hold eight times the pairs). Four-wide slices run in the lower half of the vectors (their
        // upper lanes read particle 0 and keep nothing).
        var iota = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var width = Width;
        var at = 0;
        var k = 0;
        fixed (int* starts = list.Start, particles = Particles, counts = Counts)
        {
            for (var s = 0; s < slices; s++)
            {
                var a = typeOf[_order[k]];
                var end = k + 1;
                while (end < n && end - k < width && typeOf[_order[end]] == a) end++;
                SliceType[s] = a;
                for (var l = 0; l < width; l++) particles[s * width + l] = _order[k + l < end ? k + l : k];
                var own = Load(particles + s * width, width);
                var present = Vector256.LessThan(iota, Vector256.Create(end - k));
                for (var t = 0; t < types; t++)
                {
                    var block = s * types + t;
                    BlockStart[block] = at;
                    var group = own * types + Vector256.Create(t);
                    var count = (Gather(starts, group + Vector256<int>.One) - Gather(starts, group)) & present;
                    Store(count, counts + block * width, width);
                    at += Max(count) * width;
                }
                k = end;
            }
        }
        BlockStart[slices * types] = at;
        if (Entries.Length < at) Entries = new int[at + at / 8];

        // Block by block, a vector of partners at a time, one from each lane's run in the list: a gather, the lanes
        // past their run's end keeping their own particle.
        fixed (int* starts = list.Start, neighbours = list.Neighbours, entries = Entries, particles = Particles, counts = Counts)
        {
            for (var s = 0; s < slices; s++)
            {
                var own = Load(particles + s * width, width);
                for (var t = 0; t < types; t++)
                {
                    var block = s * types + t;
                    var from = Gather(starts, own * types + Vector256.Create(t));
                    var count = Load(counts + block * width, width);
                    var entry = BlockStart[block];
                    for (var q = 0; entry < BlockStart[block + 1]; q++, entry += width)
                    {
                        var q8 = Vector256.Create(q);
                        var inside = Vector256.LessThan(q8, count);
                        if (Avx2.IsSupported) Store(Avx2.GatherMaskVector256(own, neighbours, from + q8, inside, 4), entries + entry, width);
                        else
                            for (var l = 0; l < width; l++) entries[entry + l] = inside[l] != 0 ? neighbours[from[l] + q] : own[l];
                    }
                }
            }
        }
        ListBuilds = list.Builds;
    }

    /// <summary><paramref name="width"/> lanes from <paramref name="source"/>, the rest zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load(int* source, int width)
        => width == 8 ? Vector256.Load(source) : Vector256.Create(Vector128.Load(source), Vector128<int>.Zero);

    /// <summary>The first <paramref name="width"/> lanes of <paramref name="v"/> at <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<int> v, int* destination, int width)
    {
        if (width == 8) v.Store(destination);
        else v.GetLower().Store(destination);
    }

    /// <summary>The eight values at <paramref name="index"/>.</summary>
    private static Vector256<int> Gather(int* values, Vector256<int> index)
        => Avx2.IsSupported ? Avx2.GatherVector256(values, index, 4)
            : Vector256.Create(values[index[0]], values[index[1]], values[index[2]], values[index[3]], values[index[4]], values[index[5]], values[index[6]], values[index[7]]);

    /// <summary>The largest of eight counts.</summary>
    private static int Max(Vector256<int> v)
    {
        var m = Vector128.Max(v.GetLower(), v.GetUpper());
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        return Math.Max(m.GetElement(0), m.GetElement(1));
    }

    /// <summary>
    /// The particles into <see cref="_order"/>: by type, then, window by window, by descending partner count (ties in
    /// index order; a counting sort, as the counts are small). Returns the number of slices.
    /// </summary>
    private int Order(ReadOnlySpan<int> typeOf, int types, ref int start)
    {
        var n = typeOf.Length;
        var slices = 0;
        var placed = 0;
        for (var a = 0; a < types; a++)
        {
            var first = placed;
            for (var i = 0; i < n; i++)
                if (typeOf[i] == a) _byType[placed++] = i;
            for (var w = first; w < placed; w += Window)
            {
                var end = Math.Min(w + Window, placed);
                var longest = 0;
                for (var k = w; k < end; k++)
                {
                    var i = _byType[k];
                    _count[k] = Unsafe.Add(ref start, (i + 1) * types) - Unsafe.Add(ref start, i * types);
                    longest = Math.Max(longest, _count[k]);
                }
                if (_next.Length < longest + 2) _next = new int[2 * longest + 2];
                var next = _next.AsSpan(0, longest + 2);
                next.Clear();
                for (var k = w; k < end; k++) next[longest - _count[k] + 1]++;
                next[0] = w;
                for (var c = 1; c <= longest; c++) next[c] += next[c - 1];
                for (var k = w; k < end; k++) _order[next[longest - _count[k]]++] = _byType[k];
            }
            slices += (placed - first + Width - 1) / Width;
        }
        return slices;
    }
}
