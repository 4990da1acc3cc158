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

    /// <summary>
    /// x^y lane by lane, for real exponents that are not small integers, as <see cref="Math.Pow"/> gives it for the bases
    /// a potential meets (signed zeros and NaN exponents aside): exp(y·ln|x|), which a negative base turns negative for
    /// an odd integer y and NaN for a non-integer one; x⁰ = 1. (A parameter
    /// exponent of a base that can be negative, (1 − e^(−a(r − r₀)))ⁿ, was NaN here where the scalar form was finite.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Pow<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Positive bases, the common case ((σ/r)ⁿ), skip the sign logic: it cost 17 % of a call.
        if (Vector256.GreaterThanAll(x, Vector256<T>.Zero)) return Exp(y * Log(x));
        var magnitude = Exp(y * Log(Vector256.Abs(x)));
        var half = y * Vector256.Create(T.CreateTruncating(0.5));
        var whole = Vector256.Equals(Round(y), y);
        var odd = whole & ~Vector256.Equals(Round(half), half);
        var negative = Vector256.LessThan(x, Vector256<T>.Zero);
        var signed = Vector256.ConditionalSelect(negative & odd, -magnitude, magnitude);
        var real = Vector256.ConditionalSelect(negative & ~whole, Vector256.Create(T.NaN), signed);
        return Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<T>.Zero), Vector256<T>.One, real);
    }

    /// <summary>The 512-bit <see cref="Pow{T}(Vector256{T}, Vector256{T})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Pow<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.GreaterThanAll(x, Vector512<T>.Zero)) return Exp(y * Log(x));
        var magnitude = Exp(y * Log(Vector512.Abs(x)));
        var half = y * Vector512.Create(T.CreateTruncating(0.5));
        var whole = Vector512.Equals(Round(y), y);
        var odd = whole & ~Vector512.Equals(Round(half), half);
        var negative = Vector512.LessThan(x, Vector512<T>.Zero);
        var signed = Vector512.ConditionalSelect(negative & odd, -magnitude, magnitude);
        var real = Vector512.ConditionalSelect(negative & ~whole, Vector512.Create(T.NaN), signed);
        return Vector512.ConditionalSelect(Vector512.Equals(y, Vector512<T>.Zero), Vector512<T>.One, real);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sin<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.Sin(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Sin(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sin<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector512.Sin(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Sin(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Cos<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.Cos(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Cos(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Cos<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector512.Cos(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Cos(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>Lane-wise tanh (per lane: the runtime has no vector tanh, and 1 − 2/(e^{2x}+1) loses digits near 0).</summary>
    public static Vector256<T> Tanh<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => PerLane(x, static v => T.Tanh(v));

    public static Vector512<T> Tanh<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => PerLane(x, static v => T.Tanh(v));

    /// <summary>Lane-wise complementary error function.</summary>
    public static Vector256<T> Erfc<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => PerLane(x, static v => Erfc(v));

    public static Vector512<T> Erfc<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => PerLane(x, static v => Erfc(v));

    /// <summary>erfc(x) in precision T (evaluated in double).</summary>
    public static T Erfc<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        => T.CreateTruncating(Erfc(double.CreateTruncating(x)));

    /// <summary>erfc(x) in float (evaluated in double; static and free of managed references, so ILGPU can compile it).</summary>
    public static float Erfc(float x) => (float)Erfc((double)x);

    /// <summary>
    /// The complementary error function erfc(x) = 1 − erf(x), to about 1e-15 relative. For |x| &lt; 1.5 the series
    /// erf(x) = (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3···(2n+1)) (all terms positive, so no cancellation inside the sum);
    /// beyond, the continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + ...)))) (Abramowitz and Stegun 7.1.14).
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2 - Erfc(-x);
        if (x > 27) return 0;
        const double InvSqrtPi = 0.56418958354775628695;
        var x2 = x * x;
        if (x < 1.5)
        {
            var term = x;
            var sum = x;
            for (var n = 1; n < 200; n++)
            {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
                if (term < 1e-17 * sum) break;
            }
            return 1 - 2 * InvSqrtPi * Math.Exp(-x2) * sum;
        }
        var f = x;
        for (var k = x < 2.5 ? 120 : 60; k >= 1; k--) f = x + 0.5 * k / f;
        return InvSqrtPi * Math.Exp(-x2) / f;
    }

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
