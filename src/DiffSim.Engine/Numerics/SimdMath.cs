using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffSim.Numerics;

/// <summary>
/// Lane-wise elementary functions on <see cref="Vector256{T}"/> and <see cref="Vector512{T}"/> for T = float or double.
/// The runtime's vector math is not generic over T; these dispatch on typeof(T), which the JIT folds away,
/// so generated potentials can be written once over T.
/// </summary>
public static class SimdMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector512.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Log(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector512.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Log(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>Rounds to the nearest integer, ties to even (the minimum-image convention).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Round<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.Round(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Round(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Round<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector512.Round(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Round(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>x^y = exp(y·ln x) for x &gt; 0, for real exponents that are not small integers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Pow<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Exp(y * Log(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Pow<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Exp(y * Log(x));

    /// <summary>Lane-wise application of a scalar function, for the functions the runtime has no vector form of (tanh, erfc, sin, cos).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> PerLane<T>(Vector256<T> x, Func<T, T> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> lanes = stackalloc T[Vector256<T>.Count];
        x.CopyTo(lanes);
        for (var k = 0; k < lanes.Length; k++) lanes[k] = f(lanes[k]);
        return Vector256.Create<T>(lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> PerLane<T>(Vector512<T> x, Func<T, T> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> lanes = stackalloc T[Vector512<T>.Count];
        x.CopyTo(lanes);
        for (var k = 0; k < lanes.Length; k++) lanes[k] = f(lanes[k]);
        return Vector512.Create<T>(lanes);
    }
}
