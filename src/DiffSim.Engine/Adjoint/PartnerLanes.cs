using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// Loads of four partners' per-particle values, and their slices' partner counts, for the double-precision pair loops
/// that run four partners per vector. Element by element: on the target cores (AMD Zen 1) the AVX2 gather is
/// slower than four loads.
/// </summary>
internal static class PartnerLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Gather(ref double origin, int j0, int j1, int j2, int j3)
        => Vector256.Create(Unsafe.Add(ref origin, j0), Unsafe.Add(ref origin, j1), Unsafe.Add(ref origin, j2), Unsafe.Add(ref origin, j3));

    /// <summary>Four lanes' partner counts (<see cref="Neighbours.PartnerSlices.Counts"/>) as doubles, for the mask of a block's last partners.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Counts(ref int counts) => Vector256.Create((double)counts, Unsafe.Add(ref counts, 1), Unsafe.Add(ref counts, 2), Unsafe.Add(ref counts, 3));
}

/// <summary>Minimum-image separations of four partners in an orthorhombic box, the box lengths and their inverses held as vectors.</summary>
internal readonly struct PeriodicLanes(Box box)
{
    private readonly Vector256<double> _lx = Vector256.Create(box.Lx), _ly = Vector256.Create(box.Ly), _lz = Vector256.Create(box.Lz);
    private readonly Vector256<double> _ilx = Vector256.Create(1 / box.Lx), _ily = Vector256.Create(1 / box.Ly), _ilz = Vector256.Create(1 / box.Lz);
    private readonly Vector256<double> _negLx = Vector256.Create(-box.Lx), _negLy = Vector256.Create(-box.Ly), _negLz = Vector256.Create(-box.Lz);

    /// <summary>
    /// d = r_i − r_j by minimum image for the partners j0..j3 of i at (xi, yi, zi), positions wrapped into the box;
    /// returns |d|². d − L round(d/L) in one fused step: there |round(d/L)| ≤ 1, so L round(d/L) is exact and the fused
    /// result is <see cref="MinimumImage"/>'s two-step one bit for bit, an operation less per coordinate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> WrappedSeparation(ref double x, ref double y, ref double z, Vector256<double> xi, Vector256<double> yi, Vector256<double> zi,
        int j0, int j1, int j2, int j3, out Vector256<double> dx, out Vector256<double> dy, out Vector256<double> dz)
    {
        Differences(ref x, ref y, ref z, xi, yi, zi, j0, j1, j2, j3, out dx, out dy, out dz);
        dx = Vector256.FusedMultiplyAdd(Vector256.Round(dx * _ilx), _negLx, dx);
        dy = Vector256.FusedMultiplyAdd(Vector256.Round(dy * _ily), _negLy, dy);
        dz = Vector256.FusedMultiplyAdd(Vector256.Round(dz * _ilz), _negLz, dz);
        return dx * dx + dy * dy + dz * dz;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Differences(ref double x, ref double y, ref double z, Vector256<double> xi, Vector256<double> yi, Vector256<double> zi,
        int j0, int j1, int j2, int j3, out Vector256<double> dx, out Vector256<double> dy, out Vector256<double> dz)
    {
        dx = xi - PartnerLanes.Gather(ref x, j0, j1, j2, j3);
        dy = yi - PartnerLanes.Gather(ref y, j0, j1, j2, j3);
        dz = zi - PartnerLanes.Gather(ref z, j0, j1, j2, j3);
    }

    /// <summary>Replaces the separations (dx, dy, dz) by their minimum images; returns |d|².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> MinimumImage(ref Vector256<double> dx, ref Vector256<double> dy, ref Vector256<double> dz)
    {
        dx -= _lx * Vector256.Round(dx * _ilx);
        dy -= _ly * Vector256.Round(dy * _ily);
        dz -= _lz * Vector256.Round(dz * _ilz);
        return dx * dx + dy * dy + dz * dz;
    }
}

/// <summary>
/// Minimum-image separations of eight partners from positions wrapped into the box, in float (the single-precision
/// reverse passes): |round(d/L)| ≤ 1, so d − L round(d/L) is one fused step per coordinate.
/// </summary>
internal readonly struct SinglePeriodicLanes(Box box)
{
    private readonly Vector256<float> _negLx = Vector256.Create((float)-box.Lx), _negLy = Vector256.Create((float)-box.Ly), _negLz = Vector256.Create((float)-box.Lz);
    private readonly Vector256<float> _ilx = Vector256.Create((float)(1 / box.Lx)), _ily = Vector256.Create((float)(1 / box.Ly)), _ilz = Vector256.Create((float)(1 / box.Lz));

    /// <summary>d = r_j − r_i by minimum image; returns |d|².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Separation(Vector256<float> xi, Vector256<float> yi, Vector256<float> zi, Vector256<float> xj, Vector256<float> yj, Vector256<float> zj,
        out Vector256<float> dx, out Vector256<float> dy, out Vector256<float> dz)
    {
        dx = xj - xi; dy = yj - yi; dz = zj - zi;
        dx = Vector256.FusedMultiplyAdd(Vector256.Round(dx * _ilx), _negLx, dx);
        dy = Vector256.FusedMultiplyAdd(Vector256.Round(dy * _ily), _negLy, dy);
        dz = Vector256.FusedMultiplyAdd(Vector256.Round(dz * _ilz), _negLz, dz);
        return dx * dx + dy * dy + dz * dz;
    }
}
