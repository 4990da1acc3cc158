using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// The Verlet rebuild rule of every neighbour list: positions are remembered at a build, and the list is stale once
/// any particle has moved more than half the skin since (two particles can then have closed the whole skin).
/// </summary>
/// <remarks>
/// A list whose kernels take the minimum image of every pair (<paramref name="minimumImage"/>) measures minimum-image
/// displacements, so that a particle wrapped back into the box between two states (the forward list wraps the
/// positions at its builds, and the reverse pass meets states from either side of such a build) has not moved by a
/// box length; between rebuilds displacements stay far below half the box, so the minimum image is the true one. A
/// list of translated image slots (<see cref="HalfVerletList"/>) must instead see such a jump as a move: its slots
/// hold the positions of its build.
/// </remarks>
public sealed class DisplacementCheck(double skin, bool minimumImage = false)
{
    private double[] _x0 = [], _y0 = [], _z0 = [];

    /// <summary>The squared move beyond which the remembered build is stale.</summary>
    private double _limit2;

    /// <summary>Whether <see cref="_x0"/> … hold positions: forgetting keeps the arrays, so that a list rebuilt every few steps allocates nothing.</summary>
    private bool _remembered;

    public double Skin { get; } = skin;

    /// <summary>Bytes held by the remembered positions.</summary>
    public long Bytes => 3L * _x0.Length * sizeof(double);

    /// <summary>Remembers the positions of a build, whose list reaches <see cref="Skin"/> beyond its cutoff.</summary>
    public void Remember(State state) => Remember(state, 0.25 * Skin * Skin);

    /// <summary>
    /// Remembers the positions of a build that serves states known in advance: stale once some particle has moved
    /// (squared) more than <paramref name="largestMove2"/>, the largest <see cref="LargestMove2(State, State)"/> of
    /// those states, which are then served without a rebuild (the same arithmetic gives the same bits).
    /// </summary>
    public void Remember(State state, double largestMove2)
    {
        var n = state.Count;
        if (_x0.Length != n) { _x0 = new double[n]; _y0 = new double[n]; _z0 = new double[n]; }
        state.X.AsSpan(0, n).CopyTo(_x0); state.Y.AsSpan(0, n).CopyTo(_y0); state.Z.AsSpan(0, n).CopyTo(_z0);
        _limit2 = largestMove2;
        _remembered = true;
    }

    /// <summary>Forgets the positions, so the next <see cref="NeedsRebuild"/> is true (a run restarted from saved positions then builds the list the uninterrupted one had).</summary>
    public void Invalidate() => _remembered = false;

    /// <summary>True when nothing is remembered for this many particles, or some particle moved more than skin/2 (or the remembered build's own limit).</summary>
    public bool NeedsRebuild(State state) => !Holds(state) || LargestMove2(state, _x0, _y0, _z0, _limit2) > _limit2;

    /// <summary>The largest squared displacement since <see cref="Remember(State)"/>, or −1 when nothing is remembered for this many particles.</summary>
    public double LargestMove2(State state) => Holds(state) ? LargestMove2(state, _x0, _y0, _z0, double.PositiveInfinity) : -1;

    /// <summary>The largest squared displacement from <paramref name="reference"/> to <paramref name="state"/> (the same particles), as <see cref="NeedsRebuild"/> measures it.</summary>
    public double LargestMove2(State reference, State state)
    {
        if (reference.Count != state.Count) throw new ArgumentException($"displacements need the same particles: {reference.Count} against {state.Count}");
        return LargestMove2(state, reference.X, reference.Y, reference.Z, double.PositiveInfinity);
    }

    private bool Holds(State state) => _remembered && _x0.Length == state.Count;

    /// <summary>The largest squared displacement from (<paramref name="x0"/>, <paramref name="y0"/>, <paramref name="z0"/>), four particles at a time; it may stop at the first vector beyond <paramref name="stopAbove"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double LargestMove2(State state, double[] x0, double[] y0, double[] z0, double stopAbove)
    {
        var n = state.Count;
        var box = state.Box;
        var largest = 0.0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lx = Vector256.Create(box.Lx); var ly = Vector256.Create(box.Ly); var lz = Vector256.Create(box.Lz);
            var ilx = Vector256.Create(1 / box.Lx); var ily = Vector256.Create(1 / box.Ly); var ilz = Vector256.Create(1 / box.Lz);
            var stop = Vector256.Create(stopAbove);
            var largest4 = Vector256<double>.Zero;
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var dx = Load(state.X, i) - Load(x0, i);
                var dy = Load(state.Y, i) - Load(y0, i);
                var dz = Load(state.Z, i) - Load(z0, i);
                if (minimumImage)
                {
                    dx -= lx * Vector256.Round(dx * ilx);
                    dy -= ly * Vector256.Round(dy * ily);
                    dz -= lz * Vector256.Round(dz * ilz);
                }
                var s = dx * dx + dy * dy + dz * dz;
                largest4 = Vector256.Max(largest4, s);
                if (Vector256.GreaterThanAny(s, stop)) break;
            }
            for (var k = 0; k < Vector256<double>.Count; k++) largest = Math.Max(largest, largest4[k]);
            if (largest > stopAbove) return largest;
        }
        for (; i < n; i++)
        {
            double dx = state.X[i] - x0[i], dy = state.Y[i] - y0[i], dz = state.Z[i] - z0[i];
            if (minimumImage)
            {
                dx -= box.Lx * Math.Round(dx / box.Lx);
                dy -= box.Ly * Math.Round(dy / box.Ly);
                dz -= box.Lz * Math.Round(dz / box.Lz);
            }
            largest = Math.Max(largest, dx * dx + dy * dy + dz * dz);
            if (largest > stopAbove) break;
        }
        return largest;
    }

    private static Vector256<double> Load(double[] a, int i) => Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)i);
}
