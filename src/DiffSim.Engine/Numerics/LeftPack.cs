using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffSim.Numerics;

/// <summary>
/// Left-packing by a lane permutation, the compress store that AVX-512 has and AVX2 lacks: for each mask of up to 8
/// passing lanes, the indices of those lanes in order, so that one permute moves the passing lanes of a vector to its
/// front and a whole-vector store then appends them.
/// </summary>
internal static unsafe class LeftPack
{
    /// <summary>Row m: the lane numbers of the set bits of m, first; pinned for good, so that loops hold no pin of their own.</summary>
    private static readonly int[] Table = Build();
    private static readonly int* Rows = (int*)Unsafe.AsPointer(ref Table[0]);

    /// <summary>The permutation that moves the lanes set in <paramref name="mask"/> (below 256) to the front, in order; the remaining lanes are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Lanes(uint mask) => Vector256.Load(Rows + 8 * mask);

    private static int[] Build()
    {
        var table = GC.AllocateArray<int>(256 * 8, pinned: true);
        for (var m = 0; m < 256; m++)
        {
            var k = 0;
            for (var lane = 0; lane < 8; lane++)
                if ((m >> lane & 1) != 0) table[m * 8 + k++] = lane;
        }
        return table;
    }
}
