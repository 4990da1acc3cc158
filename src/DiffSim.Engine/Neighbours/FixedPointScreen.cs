using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// The pair searches' screen in 16-bit fixed point. Each wrapped coordinate is held as a fraction of its box edge in
/// units of 2⁻¹⁶ L (x and y packed in one 32-bit word, z alone in another), so that the difference of two positions,
/// taken in 16-bit lanes, wraps to the minimum image by itself. The differences are halved, so that three squares fit
/// in 32 bits, and squared and summed by one multiply-add per word. Eight partners a 256-bit vector, as the float
/// screen this replaced, in half its operations: no absolute value, no min(|d|, L − |d|), no float multiplies (the
/// all-pairs screen of 256 particles 32 → 18 µs on Zen 1).
/// </summary>
/// <remarks>
/// The screen passes a superset of the pairs within the cutoff; the searches test its candidates in double precision.
/// With u = L/2¹⁶ along an edge, truncation puts a quantised separation within u of the true one's minimum image
/// (|min(|d|, L − |d|)| is 1-Lipschitz in d), halving adds u. In a box with unequal edges each axis's halved
/// difference is scaled by L/L_max (a rounded 15-bit fraction, off by at most one unit at the largest difference and
/// a half for the rounding), so that all three count in the same unit U = 2 L_max/2¹⁶. Every component is then within
/// 2.5 U of the true one and the length within 2.5·√3 U &lt; 5 U: the screen's limit is (r_c/U + 5)².
/// </remarks>
internal static class FixedPointScreen
{
    private const double Units = 65536;

    /// <summary>The fixed-point fraction of a coordinate wrapped into [0, L), with <paramref name="scale"/> = 2¹⁶/L (an edge's end is its start).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Fraction(double wrapped, double scale) => (int)(wrapped * scale) & 0xFFFF;

    /// <summary>Four fractions at once, the bits of <see cref="Fraction"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Fractions(Vector256<double> wrapped, Vector256<double> scale)
        => Avx.ConvertToVector128Int32WithTruncation(wrapped * scale) & Vector128.Create(0xFFFF);

    /// <summary>x and y packed into one word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Pack(int x, int y) => x | y << 16;

    /// <summary><see cref="Pack(int, int)"/> of four particles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Pack(Vector128<int> x, Vector128<int> y) => x | Vector128.ShiftLeft(y, 16);

    /// <summary>2¹⁶/L for each edge.</summary>
    public static (double X, double Y, double Z) Scales(Box box) => (Units / box.Lx, Units / box.Ly, Units / box.Lz);

    /// <summary>Whether the edges are equal, so that no axis needs scaling (<see cref="CubicAxes"/>).</summary>
    public static bool IsCubic(Box box) => box.Lx == box.Ly && box.Ly == box.Lz;

    /// <summary>The limit on the screen's squared length for <paramref name="cutoff"/>, in units of 2 L_max/2¹⁶; past every length when the cutoff reaches the box's corners.</summary>
    public static Vector256<int> Limit(double cutoff, Box box)
    {
        var unit = 2 * Math.Max(box.Lx, Math.Max(box.Ly, box.Lz)) / Units;
        var limit = Math.Ceiling(Math.Pow(cutoff / unit + 5, 2));
        return Vector256.Create((int)Math.Min(limit, int.MaxValue));
    }

    /// <summary>
    /// The partners at <paramref name="at"/> … at + 7 of the packed rows <paramref name="xy"/> and <paramref name="z"/>
    /// whose screened squared length from (<paramref name="xyi"/>, <paramref name="zi"/>) is below <paramref name="limit"/>,
    /// as a bit mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hits<TAxes>(Vector256<short> xyi, Vector256<short> zi, ref int xy, ref int z, int at, TAxes axes, Vector256<int> limit)
        where TAxes : struct, IScreenAxes
    {
        var dxy = Avx2.ShiftRightArithmetic(Avx2.Subtract(xyi, Vector256.LoadUnsafe(ref xy, (nuint)at).AsInt16()), 1);
        var dz = Avx2.ShiftRightArithmetic(Avx2.Subtract(zi, Vector256.LoadUnsafe(ref z, (nuint)at).AsInt16()), 1);
        dxy = axes.ScaleXy(dxy);
        dz = axes.ScaleZ(dz);
        var s = Avx2.MultiplyAddAdjacent(dxy, dxy) + Avx2.MultiplyAddAdjacent(dz, dz);
        return (uint)Avx2.CompareGreaterThan(limit, s).AsSingle().ExtractMostSignificantBits();
    }

    /// <summary>The lanes of a row's last, partial vector of <paramref name="count"/> partners (below 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Tail(int count) => (1u << count) - 1;
}

/// <summary>How the screen brings the halved differences of the three axes to one unit.</summary>
internal interface IScreenAxes
{
    Vector256<short> ScaleXy(Vector256<short> d);
    Vector256<short> ScaleZ(Vector256<short> d);
}

/// <summary>Equal edges: the differences are in one unit already.</summary>
internal readonly struct CubicAxes : IScreenAxes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<short> ScaleXy(Vector256<short> d) => d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<short> ScaleZ(Vector256<short> d) => d;
}

/// <summary>Unequal edges: each axis's differences times L/L_max, as a 15-bit fraction rounded down.</summary>
internal readonly struct OrthorhombicAxes(Box box) : IScreenAxes
{
    private readonly Vector256<short> _xy = Weights(box, box.Lx, box.Ly), _z = Weights(box, box.Lz, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<short> ScaleXy(Vector256<short> d) => Avx2.MultiplyHighRoundScale(d, _xy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<short> ScaleZ(Vector256<short> d) => Avx2.MultiplyHighRoundScale(d, _z);

    private static Vector256<short> Weights(Box box, double low, double high)
    {
        var longest = Math.Max(box.Lx, Math.Max(box.Ly, box.Lz));
        var lo = (short)Math.Floor(32767 * low / longest);
        var hi = (short)Math.Floor(32767 * high / longest);
        return Vector256.Create((int)(ushort)lo | hi << 16).AsInt16();
    }
}
