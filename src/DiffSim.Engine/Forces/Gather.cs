using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffSim.Forces;

/// <summary>
/// Loads base[idx[0..W)] into one vector: the hardware gather where the processor has one for this width and
/// element type, else lane by lane. Indices are 32-bit; element type float or double.
/// .NET exposes no 512-bit gather, so the 512-bit load is two 256-bit gathers.
/// </summary>
internal static unsafe class Gather
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load256<T>(T* source, int* idx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            if (Avx2.IsSupported) return Avx2.GatherVector256((float*)source, Avx.LoadVector256(idx), sizeof(float)).As<float, T>();
            var s = (float*)source;
            return Vector256.Create(s[idx[0]], s[idx[1]], s[idx[2]], s[idx[3]], s[idx[4]], s[idx[5]], s[idx[6]], s[idx[7]]).As<float, T>();
        }
        if (typeof(T) == typeof(double))
        {
            if (Avx2.IsSupported) return Avx2.GatherVector256((double*)source, Sse2.LoadVector128(idx), sizeof(double)).As<double, T>();
            var s = (double*)source;
            return Vector256.Create(s[idx[0]], s[idx[1]], s[idx[2]], s[idx[3]]).As<double, T>();
        }
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load512<T>(T* source, int* idx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.Create(Load256((float*)source, idx), Load256((float*)source, idx + 8)).As<float, T>();
        }
        if (typeof(T) == typeof(double))
        {
            return Vector512.Create(Load256((double*)source, idx), Load256((double*)source, idx + 4)).As<double, T>();
        }
        throw new NotSupportedException(typeof(T).Name);
    }
}
