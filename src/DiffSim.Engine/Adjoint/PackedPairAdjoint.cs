using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Forces;
using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// What a reverse pair pass reads and writes per slot of an <see cref="ImageSlots"/> (particle, padding or image), packed: the position and the adjoint vector w as one
/// 64-byte row (x, y, z, w_x | w_y, w_z, ·, ·), and the product J·w as (x, y, z, ·). Copied in once per pass, so that
/// a partner's six inputs are six 128-bit loads from one cache line and its three outputs two 128-bit
/// read-modify-writes, instead of twelve scalar loads and three scalar read-modify-writes spread over six arrays
/// (the transposes are <see cref="Xyzw"/>'s, which the forward kernel uses for the same reason).
/// Rows and products are 64-byte aligned, so no row straddles two cache lines.
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

    /// <summary>
    /// Packs the rows of every slot of <paramref name="images"/>: each particle at its position next to the list's
    /// reference, the padding slot far away with w = 0, each image at its particle's position translated, with its
    /// particle's w; and zeroes the products.
    /// </summary>
    public void Load(State state, ImageSlots images, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz)
    {
        var slots = images.SlotCount;
        if (_rows.Length < slots * RowLength)
        {
            _rows = new AlignedBuffer<double>(slots * RowLength + slots * RowLength / 4);
            _products = new AlignedBuffer<double>(_rows.Length / RowLength * ProductLength);
        }
        var n = images.ParticleCount;
        var row = Rows;
        var i = 0;
        // Four particles' components at a time, transposed into their rows.
        for (; i + 4 <= n; i += 4, row += 4 * RowLength)
        {
            images.Unwrap4(state, i, out var x, out var y, out var z);
            var x4 = Vector256.Create<double>(wx.Slice(i, 4));
            var y4 = Vector256.Create<double>(wy.Slice(i, 4));
            var z4 = Vector256.Create<double>(wz.Slice(i, 4));
            Vector256<double> a0 = UnpackLow(x, y), a1 = UnpackHigh(x, y);     // x0 y0 | x2 y2,  x1 y1 | x3 y3
            Vector256<double> b0 = UnpackLow(z, x4), b1 = UnpackHigh(z, x4);   // z0 wx0 | z2 wx2, …
            Vector256<double> c0 = UnpackLow(y4, z4), c1 = UnpackHigh(y4, z4); // wy0 wz0 | wy2 wz2, …
            Store(row, a0.GetLower(), b0.GetLower(), c0.GetLower());
            Store(row + RowLength, a1.GetLower(), b1.GetLower(), c1.GetLower());
            Store(row + 2 * RowLength, a0.GetUpper(), b0.GetUpper(), c0.GetUpper());
            Store(row + 3 * RowLength, a1.GetUpper(), b1.GetUpper(), c1.GetUpper());
        }
        for (; i < n; i++, row += RowLength)
        {
            images.Unwrap(state, i, out row[0], out row[1], out row[2]);
            row[3] = wx[i]; row[4] = wy[i]; row[5] = wz[i];
        }
        Vector256.Create(ImageSlots.FarAway, ImageSlots.FarAway, ImageSlots.FarAway, 0).Store(row);
        Vector256<double>.Zero.Store(row + 4);
        row += RowLength;
        var box = state.Box;
        var source = images.ImageSource;
        var shift = images.ImageShift;
        for (var k = 0; k < source.Length; k++, row += RowLength)
        {
            var copy = Rows + source[k] * RowLength;
            var (sx, sy, sz) = shift[k];
            (Vector256.Load(copy) + Vector256.Create(sx * box.Lx, sy * box.Ly, sz * box.Lz, 0)).Store(row);
            Vector256.Load(copy + 4).Store(row + 4);
        }
        _products.Span[..(slots * ProductLength)].Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(double* row, Vector128<double> xy, Vector128<double> zw, Vector128<double> w)
    {
        xy.Store(row);
        zw.Store(row + 2);
        w.Store(row + 4);
    }

    /// <summary>Adds the products of the images to their particles' and those of the particles to (x, y, z).</summary>
    public void AddProductsTo(ImageSlots images, Span<double> x, Span<double> y, Span<double> z)
    {
        var n = images.ParticleCount;
        var source = images.ImageSource;
        var image = Products + (n + 1) * ProductLength;
        for (var k = 0; k < source.Length; k++, image += ProductLength)
        {
            var p = Products + source[k] * ProductLength;
            (Vector256.Load(p) + Vector256.Load(image)).Store(p);
        }
        var q = Products;
        for (var i = 0; i < n; i++, q += ProductLength)
        {
            x[i] += q[0]; y[i] += q[1]; z[i] += q[2];
        }
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

    /// <summary>Adds the lane sums of x, y and z to particle i's product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSums(double* products, int i, Vector256<double> x, Vector256<double> y, Vector256<double> z)
    {
        var p = products + i * ProductLength;
        var sx = x.GetLower() + x.GetUpper();
        var sy = y.GetLower() + y.GetUpper();
        var sz = z.GetLower() + z.GetUpper();
        (Vector128.Load(p) + (UnpackLow(sx, sy) + UnpackHigh(sx, sy))).Store(p);
        (Vector128.Load(p + 2) + (UnpackLow(sz, Vector128<double>.Zero) + UnpackHigh(sz, Vector128<double>.Zero))).Store(p + 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(double* p, Vector128<double> xy, Vector128<double> z0)
    {
        (Vector128.Load(p) - xy).Store(p);
        (Vector128.Load(p + 2) - z0).Store(p + 2);
    }

    // (a0 b0 | a2 b2) and (a1 b1 | a3 b3): AVX's in-lane unpacks, lane by lane without AVX.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> UnpackLow(Vector256<double> a, Vector256<double> b)
        => Avx.IsSupported ? Avx.UnpackLow(a, b) : Vector256.Create(a[0], b[0], a[2], b[2]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> UnpackHigh(Vector256<double> a, Vector256<double> b)
        => Avx.IsSupported ? Avx.UnpackHigh(a, b) : Vector256.Create(a[1], b[1], a[3], b[3]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> UnpackLow(Vector128<double> a, Vector128<double> b)
        => Sse2.IsSupported ? Sse2.UnpackLow(a, b) : Vector128.Create(a[0], b[0]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> UnpackHigh(Vector128<double> a, Vector128<double> b)
        => Sse2.IsSupported ? Sse2.UnpackHigh(a, b) : Vector128.Create(a[1], b[1]);
}
