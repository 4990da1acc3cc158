using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// A <see cref="HalfPairList"/>'s partners as slots whose separation from their first partner needs no minimum
/// image: slot j &lt; N is particle j, slot N is a padding partner placed far from all others (<see cref="Dummy"/>), and
/// slots after it are periodic images, particle <see cref="ImageSource"/>[k] translated by
/// <see cref="ImageShift"/>[k] box lengths. Each group is padded with the dummy to a multiple of <see cref="Width"/>,
/// so a kernel reads whole vectors and needs no mask for a group's end.
/// </summary>
/// <remarks>
/// Positions are taken relative to the build's, wrapped into the box (<see cref="Unwrap"/>): within the list's life
/// no particle moves more than skin/2, so x − L·round((x − x_ref)/L) is the particle's position next to its
/// reference whichever image the state holds (the forward list wraps the state's positions when it rebuilds), and
/// the shifts found at the build stay valid. This is the forward list's approach (images, not per-pair rounding) for
/// a list that is built once and read by several reverse passes.
/// </remarks>
public sealed class ImageSlots
{
    /// <summary>Groups are padded to a multiple of this many partners.</summary>
    public const int Width = 4;

    /// <summary>Coordinate (on every axis) of the padding slot: further than any cutoff from every particle and image.</summary>
    public const double FarAway = 1e10;

    private double[] _rx = [], _ry = [], _rz = [];
    private int[] _imageOf = [];
    private int[] _start = [], _slots = [];
    private int[] _source = [];
    private (sbyte X, sbyte Y, sbyte Z)[] _shift = [];

    /// <summary>Number of particles: slots 0 to N − 1.</summary>
    public int ParticleCount => _rx.Length;

    /// <summary>The padding slot, N.</summary>
    public int Dummy => ParticleCount;

    /// <summary>Number of image slots, after the dummy.</summary>
    public int ImageCount { get; private set; }

    /// <summary>Particles, the dummy and the images.</summary>
    public int SlotCount => ParticleCount + 1 + ImageCount;

    /// <summary>Offsets of group i·T + t into <see cref="Slots"/>, as <see cref="HalfPairList.Start"/>'s but padded; N·T + 1 entries.</summary>
    public int[] Start => _start;

    /// <summary>Second partners as slots, group by group, each group a multiple of <see cref="Width"/> long.</summary>
    public int[] Slots => _slots;

    /// <summary>The particle that image k (slot N + 1 + k) copies.</summary>
    public ReadOnlySpan<int> ImageSource => _source.AsSpan(0, ImageCount);

    /// <summary>The translation of image k in box lengths.</summary>
    public ReadOnlySpan<(sbyte X, sbyte Y, sbyte Z)> ImageShift => _shift.AsSpan(0, ImageCount);

    /// <summary>
    /// Resolves the groups of <paramref name="list"/> (partners as particle indices, as sorted at
    /// <paramref name="state"/>) into slots, placing one image per partner and shift that some pair needs.
    /// </summary>
    internal void Build(State state, HalfPairList list)
    {
        var n = state.Count;
        var box = state.Box;
        var groups = list.Start.Length - 1;
        if (_rx.Length != n)
        {
            _rx = new double[n]; _ry = new double[n]; _rz = new double[n];
            _imageOf = new int[27 * n];
        }
        for (var i = 0; i < n; i++)
        {
            _rx[i] = Box.Wrap(state.X[i], box.Lx);
            _ry[i] = Box.Wrap(state.Y[i], box.Ly);
            _rz[i] = Box.Wrap(state.Z[i], box.Lz);
        }
        if (_start.Length != groups + 1) _start = new int[groups + 1];
        // A box shorter than twice the range may hold a pair within range through two images on an axis; a pass
        // may find either within the cutoff, so both are listed (at most one is ever within the cutoff).
        var range = list.Range;
        var twice = 2 * range > box.MinEdge;
        var padded = (twice ? 8 : 1) * list.Count + (Width - 1) * groups;
        if (_slots.Length < padded) _slots = new int[padded + padded / 4];
        Array.Fill(_imageOf, -1);
        var start = list.Start;
        var neighbours = list.Neighbours;
        var types = groups / Math.Max(1, n);
        var m = 0;
        ImageCount = 0;
        for (var g = 0; g < groups; g++)
        {
            _start[g] = m;
            var i = g / types;
            for (var q = start[g]; q < start[g + 1]; q++)
            {
                var j = neighbours[q];
                // Both wrapped: the image of j nearest i lies at most one box length away on each axis.
                var dx = _rx[i] - _rx[j]; var dy = _ry[i] - _ry[j]; var dz = _rz[i] - _rz[j];
                int sx = Nearest(dx, box.Lx), sy = Nearest(dy, box.Ly), sz = Nearest(dz, box.Lz);
                _slots[m++] = Slot(j, sx, sy, sz);
                if (!twice) continue;
                int ax = Other(dx, sx, box.Lx, range), ay = Other(dy, sy, box.Ly, range), az = Other(dz, sz, box.Lz, range);
                for (var c = 1; c < 8; c++)
                {
                    var (cx, cy, cz) = ((c & 1) != 0 ? ax : sx, (c & 2) != 0 ? ay : sy, (c & 4) != 0 ? az : sz);
                    if (cx != int.MinValue && cy != int.MinValue && cz != int.MinValue) _slots[m++] = Slot(j, cx, cy, cz);
                }
            }
            while ((m - _start[g]) % Width != 0) _slots[m++] = Dummy;
        }
        _start[groups] = m;
    }

    /// <summary>
    /// Particle i's position relative to the build's, x − L·round((x − x_ref)/L): the image of the particle next to
    /// its reference, which the shifts of its images and partners were found for.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unwrap(State state, int i, out double x, out double y, out double z)
    {
        var box = state.Box;
        x = state.X[i] - box.Lx * Math.Round((state.X[i] - _rx[i]) / box.Lx);
        y = state.Y[i] - box.Ly * Math.Round((state.Y[i] - _ry[i]) / box.Ly);
        z = state.Z[i] - box.Lz * Math.Round((state.Z[i] - _rz[i]) / box.Lz);
    }

    /// <summary><see cref="Unwrap(State, int, out double, out double, out double)"/> for particles i to i + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unwrap4(State state, int i, out Vector256<double> x, out Vector256<double> y, out Vector256<double> z)
    {
        var box = state.Box;
        x = Unwrap4(state.X, _rx, i, box.Lx);
        y = Unwrap4(state.Y, _ry, i, box.Ly);
        z = Unwrap4(state.Z, _rz, i, box.Lz);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Unwrap4(double[] position, double[] reference, int i, double length)
    {
        var x = Vector256.Create<double>(position.AsSpan(i, Vector256<double>.Count));
        var l = Vector256.Create(length);
        return x - l * Vector256.Round((x - Vector256.Create<double>(reference.AsSpan(i, Vector256<double>.Count))) / l);
    }

    /// <summary>+1 or −1 when partner j's image nearest i is one box length up or down (d = x_i − x_j beyond half the box), else 0.</summary>
    private static int Nearest(double d, double l) => d > 0.5 * l ? 1 : d < -0.5 * l ? -1 : 0;

    /// <summary>The next nearest image's shift on one axis if it is within range, else int.MinValue (never in a box at least twice the range).</summary>
    private static int Other(double d, int nearest, double l, double range)
    {
        var other = d - nearest * l > 0 ? nearest + 1 : nearest - 1;
        return Math.Abs(d - other * l) < range ? other : int.MinValue;
    }

    private int Slot(int j, int sx, int sy, int sz) => sx == 0 && sy == 0 && sz == 0 ? j : ImageSlot(j, sx, sy, sz);

    private int ImageSlot(int j, int sx, int sy, int sz)
    {
        ref var slot = ref _imageOf[27 * j + 9 * (sx + 1) + 3 * (sy + 1) + sz + 1];
        if (slot >= 0) return slot;
        if (ImageCount == _source.Length)
        {
            Array.Resize(ref _source, Math.Max(16, 2 * ImageCount));
            Array.Resize(ref _shift, _source.Length);
        }
        _source[ImageCount] = j;
        _shift[ImageCount] = ((sbyte)sx, (sbyte)sy, (sbyte)sz);
        slot = SlotCount;
        ImageCount++;
        return slot;
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => 3L * _rx.Length * sizeof(double) + (long)(_imageOf.Length + _start.Length + _slots.Length + _source.Length) * sizeof(int)
        + 3L * _shift.Length;
}
