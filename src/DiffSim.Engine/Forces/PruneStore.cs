using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Numerics;

namespace DiffSim.Forces;

/// <summary>
/// The pruning kernels' compress store: the partners of one vector whose lanes pass, in list order, then the
/// padding of a particle's pruned list to a whole vector.
/// </summary>
/// <remarks>
/// With AVX2 a vector of up to 8 offsets is compressed by one lane permutation (<see cref="LeftPack"/>) and stored
/// whole (up to 8 entries past the kept ones are overwritten; the next store or the padding covers them), as the
/// list build does, and 16 (float at 512 bits) as two such halves; elsewhere bit by bit.
/// </remarks>
internal static unsafe class PruneStore
{
    /// <summary>Stores at <paramref name="o"/> the offsets <c>j[lane]</c> of the set bits of <paramref name="bits"/> (lanes below <paramref name="width"/>); returns the next free position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint* Store(uint* o, uint* j, uint bits, int width)
    {
        if (Avx2.IsSupported && width <= 16)
        {
            if (width == 16) return Pack8(Pack8(o, Vector256.Load(j), bits & 0xFF), Vector256.Load(j + 8), bits >> 8);
            return Pack8(o, width == 8 ? Vector256.Load(j) : Vector128.Load(j).ToVector256Unsafe(), bits);
        }
        for (; bits != 0; bits &= bits - 1) *o++ = j[BitOperations.TrailingZeroCount(bits)];
        return o;
    }

    /// <summary>Stores the lanes of <paramref name="offsets"/> set in <paramref name="bits"/> (below 256) at <paramref name="o"/>, by one permutation and a whole-vector store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint* Pack8(uint* o, Vector256<uint> offsets, uint bits)
    {
        Avx2.PermuteVar8x32(offsets, LeftPack.Lanes(bits).AsUInt32()).Store(o);
        return o + BitOperations.PopCount(bits);
    }

    /// <summary>Pads the <paramref name="listed"/> entries ending at <paramref name="o"/> to a multiple of <paramref name="width"/> with the dummy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint* Pad(uint* o, int listed, int width, uint dummy)
    {
        // The width is a power of 2; with AVX2 one whole-vector store of the dummy, as Store overwrites past its end.
        var fill = -listed & (width - 1);
        if (Avx2.IsSupported && width <= 16)
        {
            // A second store only where the fill needs it: over-storing by more than 8 could reach the next part's list.
            Vector256.Create(dummy).Store(o);
            if (fill > 8) Vector256.Create(dummy).Store(o + 8);
            return o + fill;
        }
        for (; fill > 0; fill--) *o++ = dummy;
        return o;
    }
}
