using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffSim.Systems;

/// <summary>An orthorhombic periodic box with edges Lx, Ly, Lz (length units) and its origin at 0.</summary>
public readonly record struct Box(double Lx, double Ly, double Lz)
{
    public double Volume => Lx * Ly * Lz;

    /// <summary>The shortest edge: the minimum image is unambiguous for interactions shorter than half of it.</summary>
    public double MinEdge => Math.Min(Lx, Math.Min(Ly, Lz));

    /// <summary>A cubic box of edge L.</summary>
    public static Box Cubic(double l) => new(l, l, l);

    /// <summary>Maps a coordinate into [0, L).</summary>
    public static double Wrap(double x, double l)
    {
        x -= l * Math.Floor(x / l);
        return x >= l ? 0.0 : x;
    }

    /// <summary><see cref="Wrap(double, double)"/> of four coordinates: the same division, floor, product and difference, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Wrap(Vector256<double> x, Vector256<double> l)
    {
        x -= l * Vector256.Floor(x / l);
        return Vector256.AndNot(x, Vector256.GreaterThanOrEqual(x, l));
    }

    /// <summary>The minimum-image separation along one edge.</summary>
    public static double MinimumImage(double dx, double l) => dx - l * Math.Round(dx / l);

    /// <summary>Throws when an interaction range does not fit the box under the minimum-image convention.</summary>
    public void EnsureFits(double cutoff)
    {
        if (2 * cutoff > MinEdge)
            throw new ArgumentException(
                $"the box ({Lx:G6} × {Ly:G6} × {Lz:G6}) is too small for the cutoff {cutoff:G6}: every edge must be at least 2 × cutoff = {2 * cutoff:G6}; use more lattice cells or a shorter cutoff");
    }
}
