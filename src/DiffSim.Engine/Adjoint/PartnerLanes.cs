using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffSim.Adjoint;

/// <summary>
/// Loads and stores of four partners' per-particle values, for the reverse pair passes that run four partners of one
/// particle per vector. Element by element: on the target cores (AMD Zen 1) the AVX2 gather is slower than four loads.
/// </summary>
internal static class PartnerLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Gather(ref double origin, int j0, int j1, int j2, int j3)
        => Vector256.Create(Unsafe.Add(ref origin, j0), Unsafe.Add(ref origin, j1), Unsafe.Add(ref origin, j2), Unsafe.Add(ref origin, j3));

    /// <summary>origin[j_l] −= v_l for the lanes set in <paramref name="lanes"/> (the partners of one group are distinct).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(ref double origin, Vector256<double> v, int j0, int j1, int j2, int j3, int lanes)
    {
        if ((lanes & 1) != 0) Unsafe.Add(ref origin, j0) -= v.GetElement(0);
        if ((lanes & 2) != 0) Unsafe.Add(ref origin, j1) -= v.GetElement(1);
        if ((lanes & 4) != 0) Unsafe.Add(ref origin, j2) -= v.GetElement(2);
        if ((lanes & 8) != 0) Unsafe.Add(ref origin, j3) -= v.GetElement(3);
    }
}
