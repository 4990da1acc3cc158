using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffSim.Forces;

/// <summary>
/// Moves between particles packed as (x, y, z, w) — 16 bytes in float, 32 in double — and vectors holding one
/// component of 8 (float) or 4 (double) particles: the software gather of positions and the scatter of forces
/// of the half-list kernel.
/// </summary>
/// <remarks>
/// With AVX the gather is 8 (float) or 8 half-particle (double) 128-bit loads and an in-register transpose
/// (unpack, then shuffle), and the scatter is the inverse transpose and one 128-bit read-modify-write per
/// particle (two in double): Zen 1 runs 128-bit operations at full rate but splits 256-bit cross-lane ones.
/// Offsets are unsigned, so that the address arithmetic needs no sign extension. Elsewhere the same results come
/// lane by lane.
/// </remarks>
internal static unsafe class Xyzw
{
    /// <summary>Components of the particles at offsets j[0..W) (4 × slot), W = Vector256&lt;T&gt;.Count; w carries the type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather<T>(T* packed, uint* j, out Vector256<T> x, out Vector256<T> y, out Vector256<T> z, out Vector256<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            var p = (float*)packed;
            var t0 = Vector256.Create(Vector128.Load(p + j[0]), Vector128.Load(p + j[4]));
            var t1 = Vector256.Create(Vector128.Load(p + j[1]), Vector128.Load(p + j[5]));
            var t2 = Vector256.Create(Vector128.Load(p + j[2]), Vector128.Load(p + j[6]));
            var t3 = Vector256.Create(Vector128.Load(p + j[3]), Vector128.Load(p + j[7]));
            // FromQuadruples written out: through the helper the JIT allocates the force kernel's registers worse
            // (float from the pruned list 3-5 % slower on in.lj).
            var u0 = Avx.UnpackLow(t0, t1);  // x0 x1 y0 y1 | x4 x5 y4 y5
            var u1 = Avx.UnpackHigh(t0, t1); // z0 z1 w0 w1 | z4 z5 w4 w5
            var u2 = Avx.UnpackLow(t2, t3);  // x2 x3 y2 y3 | x6 x7 y6 y7
            var u3 = Avx.UnpackHigh(t2, t3); // z2 z3 w2 w3 | z6 z7 w6 w7
            x = Avx.Shuffle(u0, u2, 0x44).As<float, T>();
            y = Avx.Shuffle(u0, u2, 0xEE).As<float, T>();
            z = Avx.Shuffle(u1, u3, 0x44).As<float, T>();
            w = Avx.Shuffle(u1, u3, 0xEE).As<float, T>();
        }
        else if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            var p = (double*)packed;
            var t0 = Vector256.Create(Vector128.Load(p + j[0]), Vector128.Load(p + j[2]));     // x0 y0 | x2 y2
            var t1 = Vector256.Create(Vector128.Load(p + j[1]), Vector128.Load(p + j[3]));     // x1 y1 | x3 y3
            var t2 = Vector256.Create(Vector128.Load(p + j[0] + 2), Vector128.Load(p + j[2] + 2)); // z0 w0 | z2 w2
            var t3 = Vector256.Create(Vector128.Load(p + j[1] + 2), Vector128.Load(p + j[3] + 2)); // z1 w1 | z3 w3
            x = Avx.UnpackLow(t0, t1).As<double, T>();
            y = Avx.UnpackHigh(t0, t1).As<double, T>();
            z = Avx.UnpackLow(t2, t3).As<double, T>();
            w = Avx.UnpackHigh(t2, t3).As<double, T>();
        }
        else
        {
            var n = Vector256<T>.Count;
            Span<T> c = stackalloc T[4 * n];
            for (var k = 0; k < n; k++)
            {
                var q = packed + j[k];
                c[k] = q[0]; c[n + k] = q[1]; c[2 * n + k] = q[2]; c[3 * n + k] = q[3];
            }
            x = Vector256.Create<T>(c[..n]);
            y = Vector256.Create<T>(c[n..(2 * n)]);
            z = Vector256.Create<T>(c[(2 * n)..(3 * n)]);
            w = Vector256.Create<T>(c[(3 * n)..]);
        }
    }

    /// <summary>Adds (x[k], y[k], z[k]) to the packed particle at offset j[k] for every lane k (lanes may share a slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<T>(T* packed, uint* j, Vector256<T> x, Vector256<T> y, Vector256<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            var p = (float*)packed;
            // ToQuadruples written out, as in Gather.
            var zero = Vector256<float>.Zero;
            var a0 = Avx.UnpackLow(x.AsSingle(), y.AsSingle());  // x0 y0 x1 y1 | x4 y4 x5 y5
            var a1 = Avx.UnpackHigh(x.AsSingle(), y.AsSingle()); // x2 y2 x3 y3 | x6 y6 x7 y7
            var b0 = Avx.UnpackLow(z.AsSingle(), zero);          // z0 0 z1 0 | z4 0 z5 0
            var b1 = Avx.UnpackHigh(z.AsSingle(), zero);         // z2 0 z3 0 | z6 0 z7 0
            var q0 = Avx.Shuffle(a0, b0, 0x44);                  // particle 0 | particle 4
            var q1 = Avx.Shuffle(a0, b0, 0xEE);                  // 1 | 5
            var q2 = Avx.Shuffle(a1, b1, 0x44);                  // 2 | 6
            var q3 = Avx.Shuffle(a1, b1, 0xEE);                  // 3 | 7
            Add(p + j[0], q0.GetLower());
            Add(p + j[1], q1.GetLower());
            Add(p + j[2], q2.GetLower());
            Add(p + j[3], q3.GetLower());
            Add(p + j[4], q0.GetUpper());
            Add(p + j[5], q1.GetUpper());
            Add(p + j[6], q2.GetUpper());
            Add(p + j[7], q3.GetUpper());
        }
        else if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            var p = (double*)packed;
            var zero = Vector256<double>.Zero;
            var a0 = Avx.UnpackLow(x.AsDouble(), y.AsDouble());  // x0 y0 | x2 y2
            var a1 = Avx.UnpackHigh(x.AsDouble(), y.AsDouble()); // x1 y1 | x3 y3
            var b0 = Avx.UnpackLow(z.AsDouble(), zero);          // z0 0 | z2 0
            var b1 = Avx.UnpackHigh(z.AsDouble(), zero);         // z1 0 | z3 0
            Add(p + j[0], a0.GetLower()); Add(p + j[0] + 2, b0.GetLower());
            Add(p + j[1], a1.GetLower()); Add(p + j[1] + 2, b1.GetLower());
            Add(p + j[2], a0.GetUpper()); Add(p + j[2] + 2, b0.GetUpper());
            Add(p + j[3], a1.GetUpper()); Add(p + j[3] + 2, b1.GetUpper());
        }
        else
        {
            for (var k = 0; k < Vector256<T>.Count; k++)
            {
                var q = packed + j[k];
                q[0] += x[k]; q[1] += y[k]; q[2] += z[k];
            }
        }
    }

    /// <summary>Sets the packed particles at offsets j[0..W) (4 × slot), W = Vector256&lt;T&gt;.Count, to (x[k], y[k], z[k], w[k]): the inverse of the gather.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter<T>(T* packed, uint* j, Vector256<T> x, Vector256<T> y, Vector256<T> z, Vector256<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            var p = (float*)packed;
            ToQuadruples(x.AsSingle(), y.AsSingle(), z.AsSingle(), w.AsSingle(), out var q0, out var q1, out var q2, out var q3);
            q0.GetLower().Store(p + j[0]);
            q1.GetLower().Store(p + j[1]);
            q2.GetLower().Store(p + j[2]);
            q3.GetLower().Store(p + j[3]);
            q0.GetUpper().Store(p + j[4]);
            q1.GetUpper().Store(p + j[5]);
            q2.GetUpper().Store(p + j[6]);
            q3.GetUpper().Store(p + j[7]);
        }
        else if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            var p = (double*)packed;
            var a0 = Avx.UnpackLow(x.AsDouble(), y.AsDouble());  // x0 y0 | x2 y2
            var a1 = Avx.UnpackHigh(x.AsDouble(), y.AsDouble()); // x1 y1 | x3 y3
            var b0 = Avx.UnpackLow(z.AsDouble(), w.AsDouble());  // z0 w0 | z2 w2
            var b1 = Avx.UnpackHigh(z.AsDouble(), w.AsDouble()); // z1 w1 | z3 w3
            a0.GetLower().Store(p + j[0]); b0.GetLower().Store(p + j[0] + 2);
            a1.GetLower().Store(p + j[1]); b1.GetLower().Store(p + j[1] + 2);
            a0.GetUpper().Store(p + j[2]); b0.GetUpper().Store(p + j[2] + 2);
            a1.GetUpper().Store(p + j[3]); b1.GetUpper().Store(p + j[3] + 2);
        }
        else
        {
            for (var k = 0; k < Vector256<T>.Count; k++)
            {
                var q = packed + j[k];
                q[0] = x[k]; q[1] = y[k]; q[2] = z[k]; q[3] = w[k];
            }
        }
    }

    /// <summary>(x, y, z) of the 4 packed particles at offsets j[0..4) (4 × slot), in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GatherDouble<T>(T* packed, uint* j, out Vector256<double> x, out Vector256<double> y, out Vector256<double> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            var p = (float*)packed;
            Vector128<float> q0 = Vector128.Load(p + j[0]), q1 = Vector128.Load(p + j[1]), q2 = Vector128.Load(p + j[2]), q3 = Vector128.Load(p + j[3]);
            var u0 = Sse.UnpackLow(q0, q1);  // x0 x1 y0 y1
            var u1 = Sse.UnpackHigh(q0, q1); // z0 z1 w0 w1
            var u2 = Sse.UnpackLow(q2, q3);  // x2 x3 y2 y3
            var u3 = Sse.UnpackHigh(q2, q3); // z2 z3 w2 w3
            x = Avx.ConvertToVector256Double(Sse.MoveLowToHigh(u0, u2));
            y = Avx.ConvertToVector256Double(Sse.MoveHighToLow(u2, u0));
            z = Avx.ConvertToVector256Double(Sse.MoveLowToHigh(u1, u3));
        }
        else if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            Gather((double*)packed, j, out x, out y, out z, out _);
        }
        else
        {
            Span<double> c = stackalloc double[12];
            for (var k = 0; k < 4; k++)
            {
                var q = packed + j[k];
                c[k] = double.CreateTruncating(q[0]); c[4 + k] = double.CreateTruncating(q[1]); c[8 + k] = double.CreateTruncating(q[2]);
            }
            x = Vector256.Create<double>(c[..4]);
            y = Vector256.Create<double>(c[4..8]);
            z = Vector256.Create<double>(c[8..]);
        }
    }

    /// <summary>The Vector256&lt;T&gt;.Count doubles from <paramref name="p"/> on, in precision T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FromDouble<T>(double* p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.Narrow(Vector256.Load(p), Vector256.Load(p + 4)).As<float, T>();
        return Vector256.Load(p).As<double, T>();
    }

    /// <summary>
    /// Float quadruples (x, y, z, w) of particles k | k + 4 in t_k, k = 0..3, to one component per vector, lane l from
    /// particle l: the gather's in-register transpose.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FromQuadruples(Vector256<float> t0, Vector256<float> t1, Vector256<float> t2, Vector256<float> t3,
        out Vector256<float> x, out Vector256<float> y, out Vector256<float> z, out Vector256<float> w)
    {
        var u0 = Avx.UnpackLow(t0, t1);  // x0 x1 y0 y1 | x4 x5 y4 y5
        var u1 = Avx.UnpackHigh(t0, t1); // z0 z1 w0 w1 | z4 z5 w4 w5
        var u2 = Avx.UnpackLow(t2, t3);  // x2 x3 y2 y3 | x6 x7 y6 y7
        var u3 = Avx.UnpackHigh(t2, t3); // z2 z3 w2 w3 | z6 z7 w6 w7
        x = Avx.Shuffle(u0, u2, 0x44);
        y = Avx.Shuffle(u0, u2, 0xEE);
        z = Avx.Shuffle(u1, u3, 0x44);
        w = Avx.Shuffle(u1, u3, 0xEE);
    }

    /// <summary>The inverse of <see cref="FromQuadruples"/> with w = 0: q_k holds (x, y, z, 0) of particle k | k + 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToQuadruples(Vector256<float> x, Vector256<float> y, Vector256<float> z,
        out Vector256<float> q0, out Vector256<float> q1, out Vector256<float> q2, out Vector256<float> q3)
        => ToQuadruples(x, y, z, Vector256<float>.Zero, out q0, out q1, out q2, out q3);

    /// <summary>The inverse of <see cref="FromQuadruples"/>: q_k holds (x, y, z, w) of particle k | k + 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToQuadruples(Vector256<float> x, Vector256<float> y, Vector256<float> z, Vector256<float> w,
        out Vector256<float> q0, out Vector256<float> q1, out Vector256<float> q2, out Vector256<float> q3)
    {
        var a0 = Avx.UnpackLow(x, y);     // x0 y0 x1 y1 | x4 y4 x5 y5
        var a1 = Avx.UnpackHigh(x, y);    // x2 y2 x3 y3 | x6 y6 x7 y7
        var b0 = Avx.UnpackLow(z, w);     // z0 w0 z1 w1 | z4 w4 z5 w5
        var b1 = Avx.UnpackHigh(z, w);    // z2 w2 z3 w3 | z6 w6 z7 w7
        q0 = Avx.Shuffle(a0, b0, 0x44);   // particle 0 | particle 4
        q1 = Avx.Shuffle(a0, b0, 0xEE);   // 1 | 5
        q2 = Avx.Shuffle(a1, b1, 0x44);   // 2 | 6
        q3 = Avx.Shuffle(a1, b1, 0xEE);   // 3 | 7
    }

    /// <summary>Subtracts the lane sums of x, y and z from the packed particle at <paramref name="q"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubtractSums<T>(T* q, Vector256<T> x, Vector256<T> y, Vector256<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            var sx = x.AsSingle().GetLower() + x.AsSingle().GetUpper();
            var sy = y.AsSingle().GetLower() + y.AsSingle().GetUpper();
            var sz = z.AsSingle().GetLower() + z.AsSingle().GetUpper();
            var zero = Vector128<float>.Zero;
            var a = Sse.UnpackLow(sx, sy) + Sse.UnpackHigh(sx, sy);   // x0+x2 y0+y2 x1+x3 y1+y3
            var b = Sse.UnpackLow(sz, zero) + Sse.UnpackHigh(sz, zero); // z0+z2 0 z1+z3 0
            var sum = Sse.MoveLowToHigh(a, b) + Sse.MoveHighToLow(b, a);
            var p = (float*)q;
            (Vector128.Load(p) - sum).Store(p);
        }
        else if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            var sx = x.AsDouble().GetLower() + x.AsDouble().GetUpper();
            var sy = y.AsDouble().GetLower() + y.AsDouble().GetUpper();
            var sz = z.AsDouble().GetLower() + z.AsDouble().GetUpper();
            var zero = Vector128<double>.Zero;
            var p = (double*)q;
            (Vector128.Load(p) - (Sse2.UnpackLow(sx, sy) + Sse2.UnpackHigh(sx, sy))).Store(p);
            (Vector128.Load(p + 2) - (Sse2.UnpackLow(sz, zero) + Sse2.UnpackHigh(sz, zero))).Store(p + 2);
        }
        else
        {
            q[0] -= Vector256.Sum(x); q[1] -= Vector256.Sum(y); q[2] -= Vector256.Sum(z);
        }
    }

    /// <summary><see cref="Gather{T}(T*, uint*, out Vector256{T}, out Vector256{T}, out Vector256{T}, out Vector256{T})"/> for 512-bit vectors, as two 256-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather<T>(T* packed, uint* j, out Vector512<T> x, out Vector512<T> y, out Vector512<T> z, out Vector512<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Gather(packed, j, out Vector256<T> x0, out Vector256<T> y0, out Vector256<T> z0, out Vector256<T> w0);
        Gather(packed, j + Vector256<T>.Count, out Vector256<T> x1, out Vector256<T> y1, out Vector256<T> z1, out Vector256<T> w1);
        x = Vector512.Create(x0, x1); y = Vector512.Create(y0, y1); z = Vector512.Create(z0, z1); w = Vector512.Create(w0, w1);
    }

    /// <summary><see cref="Add{T}(T*, uint*, Vector256{T}, Vector256{T}, Vector256{T})"/> for 512-bit vectors, as two 256-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<T>(T* packed, uint* j, Vector512<T> x, Vector512<T> y, Vector512<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Add(packed, j, x.GetLower(), y.GetLower(), z.GetLower());
        Add(packed, j + Vector256<T>.Count, x.GetUpper(), y.GetUpper(), z.GetUpper());
    }

    /// <summary><see cref="SubtractSums{T}(T*, Vector256{T}, Vector256{T}, Vector256{T})"/> for 512-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubtractSums<T>(T* q, Vector512<T> x, Vector512<T> y, Vector512<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SubtractSums(q, x.GetLower() + x.GetUpper(), y.GetLower() + y.GetUpper(), z.GetLower() + z.GetUpper());

    /// <summary>sum = a + b for one packed quadruple (w included: forces and image shifts carry 0 there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum<T>(T* sum, T* a, T* b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) (Vector128.Load(a) + Vector128.Load(b)).Store(sum);
        else (Vector256.Load(a) + Vector256.Load(b)).Store(sum);
    }

    /// <summary>The quadruple at <paramref name="q"/> in every quadruple of a vector (twice in float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast<T>(T* q) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.Create(Vector128.Load((float*)q)).As<float, T>();
        return Vector256.Load(q);
    }

    /// <summary>sum += from, then from = 0, for one packed quadruple each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Move<T>(T* sum, T* from) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Sum(sum, sum, from);
        Clear(from);
    }

    /// <summary>Zeroes one packed quadruple.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear<T>(T* q) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) Vector128<float>.Zero.Store((float*)q);
        else Vector256<double>.Zero.Store((double*)q);
    }

    /// <summary>One packed quadruple, x y z w, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ToDouble<T>(T* q) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.WidenLower(Vector128.Load((float*)q).ToVector256Unsafe());
        return Vector256.Load((double*)q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* p, Vector128<float> v) => (Vector128.Load(p) + v).Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(double* p, Vector128<double> v) => (Vector128.Load(p) + v).Store(p);
}
