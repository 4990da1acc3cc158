using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// The Verlet rebuild rule on minimum-image displacements: for a list whose kernels take the minimum image of every
/// pair, so that a particle wrapped back into the box between two states (the forward list wraps the positions at
/// its builds) has not moved by a box length. Displacements stay far below half the box between rebuilds, so the
/// minimum image is the true one.
/// </summary>
internal sealed class PeriodicDisplacementCheck(double skin)
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

    /// <summary>Forgets the positions, so the next <see cref="NeedsRebuild"/> is true.</summary>
    public void Invalidate() => _x0 = [];

    /// <summary>True when nothing is remembered for this many particles, or some particle's minimum-image displacement passed skin/2.</summary>
    public bool NeedsRebuild(State state)
    {
        var n = state.Count;
        if (_x0.Length != n) return true;
        var box = state.Box;
        var limit = 0.25 * Skin * Skin;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var periodic = new PeriodicVectors(box);
            var limit4 = Vector256.Create(limit);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var s = periodic.Square(Load(state.X, i) - Load(_x0, i), Load(state.Y, i) - Load(_y0, i), Load(state.Z, i) - Load(_z0, i));
                if (Vector256.GreaterThanAny(s, limit4)) return true;
            }
        }
        for (; i < n; i++)
        {
            double dx = state.X[i] - _x0[i], dy = state.Y[i] - _y0[i], dz = state.Z[i] - _z0[i];
            dx -= box.Lx * Math.Round(dx / box.Lx);
            dy -= box.Ly * Math.Round(dy / box.Ly);
            dz -= box.Lz * Math.Round(dz / box.Lz);
            if (dx * dx + dy * dy + dz * dz > limit) return true;
        }
        return false;
    }

    private static Vector256<double> Load(double[] a, int i) => Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)i);

    /// <summary>The box lengths and their inverses as vectors.</summary>
    private readonly struct PeriodicVectors(Box box)
    {
        private readonly Vector256<double> _lx = Vector256.Create(box.Lx), _ly = Vector256.Create(box.Ly), _lz = Vector256.Create(box.Lz);
        private readonly Vector256<double> _ilx = Vector256.Create(1 / box.Lx), _ily = Vector256.Create(1 / box.Ly), _ilz = Vector256.Create(1 / box.Lz);

        /// <summary>|d|² of the minimum image of d.</summary>
        public Vector256<double> Square(Vector256<double> dx, Vector256<double> dy, Vector256<double> dz)
        {
            dx -= _lx * Vector256.Round(dx * _ilx);
            dy -= _ly * Vector256.Round(dy * _ily);
            dz -= _lz * Vector256.Round(dz * _ilz);
            return dx * dx + dy * dy + dz * dz;
        }
    }
}
