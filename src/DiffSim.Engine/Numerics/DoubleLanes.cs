using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DiffSim.Numerics;

/// <summary>
/// Four-double loads and stores of the per-particle arrays, through references taken once before a loop: the state's
/// and the adjoint's arrays are read through properties, which the JIT would otherwise load and null-check again after
/// every store.
/// </summary>
internal static class DoubleLanes
{
    /// <summary>The first element of <paramref name="a"/>, to be taken into a local before the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref double Data(double[] a) => ref MemoryMarshal.GetArrayDataReference(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double a, int i) => Vector256.LoadUnsafe(ref a, (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> v, ref double a, int i) => v.StoreUnsafe(ref a, (nuint)i);
}
