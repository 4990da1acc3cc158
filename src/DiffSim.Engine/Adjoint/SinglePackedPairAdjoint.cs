using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Forces;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// <see cref="PackedPairAdjoint"/> in single precision, for the reverse pair pass of a field whose forward forces are
/// float: per particle a 32-byte row (x, y, z, 0 | w_x, w_y, w_z, 0), positions wrapped into the box, and the product
/// J·w as (x, y, z, 0). Eight partners' inputs are two 128-bit loads each from one cache line and the in-register
/// transposes of <see cref="Xyzw"/>, their products one 128-bit read-modify-write each: twice the partners of a
/// double vector for about the same instructions.
/// </summary>
internal sealed unsafe class SinglePackedPairAdjoint
{
    /// <summary>Floats per row of <see cref="Rows"/>; a partner's row offset is <see cref="RowLength"/> × its index.</summary>
    public const int RowLength = 8;

    /// <summary>Floats per entry of <see cref="Products"/>: half a row, so a partner's product offset is half its row offset.</summary>
    public const int ProductLength = 4;

    private AlignedBuffer<float> _rows = new(0), _products = new(0);

    /// <summary>Whether a field whose forward forces have <paramref name="precision"/> runs its reverse pass here: float, with AVX2.</summary>
    public static bool Serves(Precision precision) => precision == Precision.Float && Avx2.IsSupported;

    public float* Rows => _rows.Pointer;
    public float* Products => _products.Pointer;

    /// <summary>Packs the wrapped positions and w of <paramref name="count"/> particles in float, and zeroes the products.</summary>
    public void Load(int count, Box box, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z,
        ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz)
    {
        if (_rows.Length < count * RowLength)
        {
            _rows = new AlignedBuffer<float>(count * RowLength);
            _products = new AlignedBuffer<float>(count * ProductLength);
        }
        var row = Rows;
        var i = 0;
        if (Avx.IsSupported)
        {
            var (lx, ly, lz) = (Vector256.Create(box.Lx), Vector256.Create(box.Ly), Vector256.Create(box.Lz));
            var (ilx, ily, ilz) = (Vector256.Create(1 / box.Lx), Vector256.Create(1 / box.Ly), Vector256.Create(1 / box.Lz));
            // Four particles at a time: wrapped in double, converted, and transposed into their rows.
            for (; i + 4 <= count; i += 4, row += 4 * RowLength)
            {
                var x4 = Wrap(Vector256.Create(x.Slice(i, 4)), lx, ilx);
                var y4 = Wrap(Vector256.Create(y.Slice(i, 4)), ly, ily);
                var z4 = Wrap(Vector256.Create(z.Slice(i, 4)), lz, ilz);
                StoreRows(row, x4, y4, z4);
                StoreRows(row + 4, Avx.ConvertToVector128Single(Vector256.Create(wx.Slice(i, 4))),
                    Avx.ConvertToVector128Single(Vector256.Create(wy.Slice(i, 4))), Avx.ConvertToVector128Single(Vector256.Create(wz.Slice(i, 4))));
            }
        }
        for (; i < count; i++, row += RowLength)
        {
            // Wrapped in double, so that a long unwrapped trajectory loses no digits to the conversion.
            Vector128.Create((float)Box.Wrap(x[i], box.Lx), (float)Box.Wrap(y[i], box.Ly), (float)Box.Wrap(z[i], box.Lz), 0f).Store(row);
            Vector128.Create((float)wx[i], (float)wy[i], (float)wz[i], 0f).Store(row + 4);
        }
        _products.Span[..(count * ProductLength)].Clear();
    }

    /// <summary>Adds the products of <paramref name="count"/> particles to (x, y, z) in double.</summary>
    public void AddProductsTo(int count, Span<double> x, Span<double> y, Span<double> z)
    {
        var p = Products;
        var i = 0;
        if (Avx.IsSupported)
        {
            // Four particles at a time: their (x, y, z, 0) transposed, widened and added.
            for (; i + 4 <= count; i += 4, p += 4 * ProductLength)
            {
                var (a, b, c, d) = (Vector128.Load(p), Vector128.Load(p + 4), Vector128.Load(p + 8), Vector128.Load(p + 12));
                var ab0 = Sse.UnpackLow(a, b);   // xa xb ya yb
                var cd0 = Sse.UnpackLow(c, d);   // xc xd yc yd
                var ab1 = Sse.UnpackHigh(a, b);  // za zb 0 0
                var cd1 = Sse.UnpackHigh(c, d);  // zc zd 0 0
                Add(x.Slice(i, 4), Sse.MoveLowToHigh(ab0, cd0));
                Add(y.Slice(i, 4), Sse.MoveHighToLow(cd0, ab0));
                Add(z.Slice(i, 4), Sse.MoveLowToHigh(ab1, cd1));
            }
        }
        for (; i < count; i++, p += ProductLength)
        {
            x[i] += p[0]; y[i] += p[1]; z[i] += p[2];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(Span<double> destination, Vector128<float> terms)
        => (Vector256.Create<double>(destination) + Avx.ConvertToVector256Double(terms)).CopyTo(destination);

    /// <summary>Four coordinates wrapped into [0, L) in double, then rounded to float (a rounding to L itself wraps to 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Wrap(Vector256<double> v, Vector256<double> l, Vector256<double> inverse)
    {
        var wrapped = v - l * Vector256.Floor(v * inverse);
        return Avx.ConvertToVector128Single(Vector256.AndNot(wrapped, Vector256.GreaterThanOrEqual(wrapped, l)));
    }

    /// <summary>(a_k, b_k, c_k, 0) of four particles into rows k = 0..3 (at <paramref name="row"/>, one <see cref="RowLength"/> apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(float* row, Vector128<float> a, Vector128<float> b, Vector128<float> c)
    {
        var zero = Vector128<float>.Zero;
        var ab0 = Sse.UnpackLow(a, b);   // a0 b0 a1 b1
        var ab1 = Sse.UnpackHigh(a, b);  // a2 b2 a3 b3
        var c0 = Sse.UnpackLow(c, zero); // c0 0 c1 0
        var c1 = Sse.UnpackHigh(c, zero);
        Sse.MoveLowToHigh(ab0, c0).Store(row);
        Sse.MoveHighToLow(c0, ab0).Store(row + RowLength);
        Sse.MoveLowToHigh(ab1, c1).Store(row + 2 * RowLength);
        Sse.MoveHighToLow(c1, ab1).Store(row + 3 * RowLength);
    }

    /// <summary>
    /// The six inputs of the eight partners at <paramref name="partners"/> (particle indices), one component per vector,
    /// lane l from partner l: two 128-bit loads per partner and <see cref="Xyzw.FromQuadruples"/> of each half row.
    /// </summary>
    /// <remarks>The row addresses come from the indices in registers: offsets stored to memory and read back would
    /// wait on store forwarding at the head of every vector's chain.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather(float* rows, int* partners, out Vector256<float> x, out Vector256<float> y, out Vector256<float> z,
        out Vector256<float> wx, out Vector256<float> wy, out Vector256<float> wz)
    {
        float* r0 = Row(rows, partners[0]), r1 = Row(rows, partners[1]), r2 = Row(rows, partners[2]), r3 = Row(rows, partners[3]);
        float* r4 = Row(rows, partners[4]), r5 = Row(rows, partners[5]), r6 = Row(rows, partners[6]), r7 = Row(rows, partners[7]);
        Xyzw.FromQuadruples(Vector256.Create(Vector128.Load(r0), Vector128.Load(r4)), Vector256.Create(Vector128.Load(r1), Vector128.Load(r5)),
            Vector256.Create(Vector128.Load(r2), Vector128.Load(r6)), Vector256.Create(Vector128.Load(r3), Vector128.Load(r7)), out x, out y, out z, out _);
        Xyzw.FromQuadruples(Vector256.Create(Vector128.Load(r0 + 4), Vector128.Load(r4 + 4)), Vector256.Create(Vector128.Load(r1 + 4), Vector128.Load(r5 + 4)),
            Vector256.Create(Vector128.Load(r2 + 4), Vector128.Load(r6 + 4)), Vector256.Create(Vector128.Load(r3 + 4), Vector128.Load(r7 + 4)), out wx, out wy, out wz, out _);
    }

    /// <summary>Products[j_l] += (x_l, y_l, z_l) for the eight partners at <paramref name="partners"/> (distinct; masked lanes hold zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* products, int* partners, Vector256<float> x, Vector256<float> y, Vector256<float> z)
    {
        Xyzw.ToQuadruples(x, y, z, out var q0, out var q1, out var q2, out var q3);
        Add(products, partners[0], q0.GetLower());
        Add(products, partners[1], q1.GetLower());
        Add(products, partners[2], q2.GetLower());
        Add(products, partners[3], q3.GetLower());
        Add(products, partners[4], q0.GetUpper());
        Add(products, partners[5], q1.GetUpper());
        Add(products, partners[6], q2.GetUpper());
        Add(products, partners[7], q3.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Row(float* rows, int index) => rows + (nuint)(uint)index * RowLength;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* products, int index, Vector128<float> term)
    {
        var p = products + (nuint)(uint)index * ProductLength;
        (Vector128.Load(p) + term).Store(p);
    }
}
