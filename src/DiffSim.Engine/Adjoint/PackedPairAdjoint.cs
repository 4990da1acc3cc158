using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Forces;

namespace DiffSim.Adjoint;

/// <summary>
/// What a reverse pair pass reads and writes per particle, packed: the position and the adjoint vector w as one
/// 64-byte row (x, y, z, w_x | w_y, w_z, ·, ·), and the product J·w as (x, y, z, ·). Copied in once per pass, so that
/// a partner's six inputs are six 128-bit loads from one cache line and its three outputs two 128-bit
/// read-modify-writes, instead of twelve scalar loads and three scalar read-modify-writes spread over six arrays
/// (the transposes are <see cref="Xyzw"/>'s, which the forward kernel uses for the same reason).
/// </summary>
[SkipLocalsInit]
internal sealed unsafe class PackedPairAdjoint
{
    /// <summary>Doubles per row of <see cref="Rows"/>; a partner's offset is <see cref="RowLength"/> × its index.</summary>
    public const int RowLength = 8;

    /// <summary>Doubles per entry of <see cref="Products"/>.</summary>
    public const int ProductLength = 4;

    private AlignedBuffer<double> _rows = new(0), _products = new(0);

    public double* Rows => _rows.Pointer;
    public double* Products => _products.Pointer;

    /// <summary>Packs positions and w of <paramref name="count"/> particles, and zeroes the products.</summary>
    public void Load(int count, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z,
        ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz)
    {
        if (_rows.Length < count * RowLength)
        {
            _rows = new AlignedBuffer<double>(count * RowLength);
            _products = new AlignedBuffer<double>(count * ProductLength);
        }
        var row = Rows;
        var i = 0;
        // Four particles at a time, transposed into their rows.
        for (; i + 4 <= count; i += 4, row += 4 * RowLength)
        {
            var (x4, y4, z4) = (Vector256.Create(x.Slice(i, 4)), Vector256.Create(y.Slice(i, 4)), Vector256.Create(z.Slice(i, 4)));
            var (wx4, wy4, wz4) = (Vector256.Create(wx.Slice(i, 4)), Vector256.Create(wy.Slice(i, 4)), Vector256.Create(wz.Slice(i, 4)));
            Vector256<double> a0 = UnpackLow(x4, y4), a1 = UnpackHigh(x4, y4);     // x0 y0 | x2 y2,  x1 y1 | x3 y3
            Vector256<double> b0 = UnpackLow(z4, wx4), b1 = UnpackHigh(z4, wx4);   // z0 wx0 | z2 wx2, …
            Vector256<double> c0 = UnpackLow(wy4, wz4), c1 = UnpackHigh(wy4, wz4); // wy0 wz0 | wy2 wz2, …
            Store(row, a0.GetLower(), b0.GetLower(), c0.GetLower());
            Store(row + RowLength, a1.GetLower(), b1.GetLower(), c1.GetLower());
            Store(row + 2 * RowLength, a0.GetUpper(), b0.GetUpper(), c0.GetUpper());
            Store(row + 3 * RowLength, a1.GetUpper(), b1.GetUpper(), c1.GetUpper());
        }
        for (; i < count; i++, row += RowLength)
        {
            row[0] = x[i]; row[1] = y[i]; row[2] = z[i]; row[3] = wx[i];
            row[4] = wy[i]; row[5] = wz[i];
        }
        _products.Span[..(count * ProductLength)].Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(double* row, Vector128<double> xy, Vector128<double> zw, Vector128<double> w)
    {
        xy.Store(row);
        zw.Store(row + 2);
        w.Store(row + 4);
    }

    /// <summary>Adds the products of <paramref name="count"/> particles to (x, y, z).</summary>
    public void AddProductsTo(int count, Span<double> x, Span<double> y, Span<double> z)
    {
        var p = Products;
        for (var i = 0; i < count; i++, p += ProductLength)
        {
            x[i] += p[0]; y[i] += p[1]; z[i] += p[2];
        }
    }

    /// <summary>The row offsets of the four partners at <paramref name="q"/> of a list of particle indices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Offsets(ref int partners, int q, out uint o0, out uint o1, out uint o2, out uint o3)
    {
        o0 = (uint)Unsafe.Add(ref partners, q) * RowLength;
        o1 = (uint)Unsafe.Add(ref partners, q + 1) * RowLength;
        o2 = (uint)Unsafe.Add(ref partners, q + 2) * RowLength;
        o3 = (uint)Unsafe.Add(ref partners, q + 3) * RowLength;
    }

    /// <summary>The six inputs of the partners at offsets o0..o3 into <see cref="Rows"/>, one component per vector, lane l from partner l.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather(double* rows, uint o0, uint o1, uint o2, uint o3, out Vector256<double> x, out Vector256<double> y, out Vector256<double> z,
        out Vector256<double> wx, out Vector256<double> wy, out Vector256<double> wz)
    {
        var p = rows;
        var t0 = Vector256.Create(Vector128.Load(p + o0), Vector128.Load(p + o2));         // x0 y0 | x2 y2
        var t1 = Vector256.Create(Vector128.Load(p + o1), Vector128.Load(p + o3));         // x1 y1 | x3 y3
        var t2 = Vector256.Create(Vector128.Load(p + o0 + 2), Vector128.Load(p + o2 + 2)); // z0 wx0 | z2 wx2
        var t3 = Vector256.Create(Vector128.Load(p + o1 + 2), Vector128.Load(p + o3 + 2));
        var t4 = Vector256.Create(Vector128.Load(p + o0 + 4), Vector128.Load(p + o2 + 4)); // wy0 wz0 | wy2 wz2
        var t5 = Vector256.Create(Vector128.Load(p + o1 + 4), Vector128.Load(p + o3 + 4));
        x = UnpackLow(t0, t1); y = UnpackHigh(t0, t1);
        z = UnpackLow(t2, t3); wx = UnpackHigh(t2, t3);
        wy = UnpackLow(t4, t5); wz = UnpackHigh(t4, t5);
    }

    /// <summary>
    /// Products[j_l] −= (x_l, y_l, z_l) for the partners at offsets o0..o3 into <see cref="Rows"/> (distinct partners; lanes that add
    /// nothing hold zeros, which costs less than branches that would skip them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(double* products, uint o0, uint o1, uint o2, uint o3, Vector256<double> x, Vector256<double> y, Vector256<double> z)
    {
        // Product offsets are half the row offsets.
        var p = products;
        var a0 = UnpackLow(x, y);                        // x0 y0 | x2 y2
        var a1 = UnpackHigh(x, y);                       // x1 y1 | x3 y3
        var b0 = UnpackLow(z, Vector256<double>.Zero);   // z0 0 | z2 0
        var b1 = UnpackHigh(z, Vector256<double>.Zero);  // z1 0 | z3 0
        Subtract(p + (o0 >> 1), a0.GetLower(), b0.GetLower());
        Subtract(p + (o1 >> 1), a1.GetLower(), b1.GetLower());
        Subtract(p + (o2 >> 1), a0.GetUpper(), b0.GetUpper());
        Subtract(p + (o3 >> 1), a1.GetUpper(), b1.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(double* p, Vector128<double> xy, Vector128<double> z0)
    {
        (Vector128.Load(p) - xy).Store(p);
        (Vector128.Load(p + 2) - z0).Store(p + 2);
    }

    /// <summary>(a0 b0 | a2 b2): AVX's in-lane unpack, lane by lane without AVX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> UnpackLow(Vector256<double> a, Vector256<double> b)
        => Avx.IsSupported ? Avx.UnpackLow(a, b) : Vector256.Create(a[0], b[0], a[2], b[2]);

    /// <summary>(a1 b1 | a3 b3): AVX's in-lane unpack, lane by lane without AVX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> UnpackHigh(Vector256<double> a, Vector256<double> b)
        => Avx.IsSupported ? Avx.UnpackHigh(a, b) : Vector256.Create(a[1], b[1], a[3], b[3]);
}
