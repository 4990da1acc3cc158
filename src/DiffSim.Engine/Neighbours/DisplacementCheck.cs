using System.Runtime.CompilerServices;
using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// The Verlet rebuild rule of every neighbour list: positions are remembered at a build, and the list is stale once
/// any particle has moved more than half the skin since (two particles can then have closed the whole skin).
/// </summary>
public sealed class DisplacementCheck(double skin)
{
    private double[] _x0 = [], _y0 = [], _z0 = [];

    public double Skin { get; } = skin;

    /// <summary>Bytes held by the remembered positions.</summary>
    public long Bytes => 3L * _x0.Length * sizeof(double);

    /// <summary>Remembers the positions of a build.</summary>
    public void Remember(State state)
    {
        var n = state.Count;
        if (_x0.Length != n) { _x0 = new double[n]; _y0 = new double[n]; _z0 = new double[n]; }
        state.X.AsSpan(0, n).CopyTo(_x0); state.Y.AsSpan(0, n).CopyTo(_y0); state.Z.AsSpan(0, n).CopyTo(_z0);
    }

    /// <summary>Forgets the positions, so the next <see cref="NeedsRebuild"/> is true (a run restarted from saved positions then builds the list the uninterrupted one had).</summary>
    public void Invalidate() => _x0 = [];

    /// <summary>True when nothing is remembered for this many particles, or some particle moved more than skin/2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool NeedsRebuild(State state)
    {
        var n = state.Count;
        if (_x0.Length != n) return true;
        var limit = 0.25 * Skin * Skin;
        var x = state.X.AsSpan(0, n); var y = state.Y.AsSpan(0, n); var z = state.Z.AsSpan(0, n);
        var x0 = _x0.AsSpan(0, n); var y0 = _y0.AsSpan(0, n); var z0 = _z0.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            double dx = x[i] - x0[i], dy = y[i] - y0[i], dz = z[i] - z0[i];
            if (dx * dx + dy * dy + dz * dz > limit) return true;
        }
        return false;
    }

    /// <summary>The largest squared displacement since <see cref="Remember"/>, or −1 when nothing is remembered for this many particles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double LargestMove2(State state)
    {
        var n = state.Count;
        if (_x0.Length != n) return -1;
        var x = state.X.AsSpan(0, n); var y = state.Y.AsSpan(0, n); var z = state.Z.AsSpan(0, n);
        var x0 = _x0.AsSpan(0, n); var y0 = _y0.AsSpan(0, n); var z0 = _z0.AsSpan(0, n);
        var largest = 0.0;
        for (var i = 0; i < n; i++)
        {
            double dx = x[i] - x0[i], dy = y[i] - y0[i], dz = z[i] - z0[i];
            largest = Math.Max(largest, dx * dx + dy * dy + dz * dz);
        }
        return largest;
    }
}
