using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffSim.Observables;

/// <summary>
/// The reverse pass's per-pair sum Σ_m c_m dW_m/dφ / n_int (c the frame's ∂L/∂counts in the padded bins, W_m the
/// <see cref="SmearedBinWeights"/>) for every first bin and interpolation interval a pair can have, as the quadratic
/// A + f(B + fC) in the pair's position f within its interval: a pair then reads three numbers instead of its whole
/// row of cubics and bins.
/// </summary>
/// <remarks>
/// <para>With dW_m/dφ = n_int (c₁ + 2c₂f + 3c₃f²) for the cubic c₀ + c₁f + c₂f² + c₃f³ of bin m in interval q,
/// A = Σ_m c_m c₁, B = 2 Σ_m c_m c₂, C = 3 Σ_m c_m c₃. It is the same derivative of the same cubics, summed in another
/// order, so the gradient agrees with the per-pair sum to rounding.</para>
/// <para>A window's frames share ∂L/∂counts (the normalisation depends on the volume and composition only), so the
/// table is built once for them: <see cref="Update"/> rebuilds it only when the bins differ from those it was built for.
/// Layout: cell (first bin, interval) holds (A, B, C, 0), so that a pair's three numbers share a cache line.</para>
/// </remarks>
internal sealed class SmearedSlopeTable(SmearedBinWeights weights)
{
    private double[] _built = [];

    /// <summary>(A, B, C, 0) of cell <see cref="Cell"/>, four doubles each.</summary>
    public double[] Terms { get; private set; } = [];

    /// <summary>The cell of a pair's first padded bin and interpolation interval, of <paramref name="intervals"/> per bin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Cell(int bin, int interval, int intervals) => bin * intervals + interval;

    /// <summary>
    /// Makes <see cref="Terms"/> those of <paramref name="padded"/> (the frame's ∂L/∂counts; a pair's first bin is at
    /// most <paramref name="padded"/>.Length − <see cref="SmearedBinWeights.Span"/>).
    /// </summary>
    public void Update(ReadOnlySpan<double> padded)
    {
        if (padded.SequenceEqual(_built)) return;
        _built = padded.ToArray();
        int firstBins = padded.Length - weights.Span + 1, intervals = weights.Intervals, stride = weights.Stride, vectors = weights.Vectors;
        if (Terms.Length != 4 * firstBins * intervals) Terms = GC.AllocateUninitializedArray<double>(4 * firstBins * intervals);
        ref var g = ref MemoryMarshal.GetReference(padded);
        ref var table = ref MemoryMarshal.GetArrayDataReference(weights.Coefficients);
        ref var terms = ref MemoryMarshal.GetArrayDataReference(Terms);
        var factors = Vector256.Create(1.0, 2.0, 3.0, 0.0);
        for (var bin = 0; bin < firstBins; bin++)
            for (var q = 0; q < intervals; q++)
            {
                ref var c = ref Unsafe.Add(ref table, q * stride);
                Vector256<double> a = default, b = default, cc = default;
                for (var v = 0; v < vectors; v++)
                {
                    var counts = Vector256.LoadUnsafe(ref g, (nuint)(bin + 4 * v));
                    a = Vector256.MultiplyAddEstimate(counts, Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 4)), a);
                    b = Vector256.MultiplyAddEstimate(counts, Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 8)), b);
                    cc = Vector256.MultiplyAddEstimate(counts, Vector256.LoadUnsafe(ref c, (nuint)(16 * v + 12)), cc);
                }
                (factors * Sums(a, b, cc, Vector256<double>.Zero)).StoreUnsafe(ref terms, (nuint)(4 * Cell(bin, q, intervals)));
            }
    }

    /// <summary>The lane sums of four vectors, as one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Sums(Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d)
    {
        if (!Avx.IsSupported) return Vector256.Create(Vector256.Sum(a), Vector256.Sum(b), Vector256.Sum(c), Vector256.Sum(d));
        var ab = Avx.HorizontalAdd(a, b); // a₀+a₁, b₀+b₁, a₂+a₃, b₂+b₃
        var cd = Avx.HorizontalAdd(c, d);
        return Avx.Permute2x128(ab, cd, 0x20) + Avx.Permute2x128(ab, cd, 0x31);
    }
}
