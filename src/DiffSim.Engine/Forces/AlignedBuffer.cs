using System.Runtime.CompilerServices;

namespace DiffSim.Forces;

/// <summary>
/// A pinned array whose first element sits on a 64-byte boundary, so that no packed (x, y, z, w) quadruple straddles
/// two cache lines: the GC aligns array data to 8 bytes only, and a split line costs each 128-bit load and store of
/// the kernels' gathers and scatters a second access.
/// </summary>
internal sealed unsafe class AlignedBuffer<T> where T : unmanaged
{
    private const int Alignment = 64;
    private readonly T[] _array;
    private readonly int _offset;

    public AlignedBuffer(int length)
    {
        _array = GC.AllocateArray<T>(length + Alignment / sizeof(T), pinned: true);
        var address = (nint)Unsafe.AsPointer(ref _array[0]);
        _offset = (int)((Alignment - address % Alignment) % Alignment) / sizeof(T);
        Length = length;
    }

    public int Length { get; }

    /// <summary>The first element; stable, as the array is pinned.</summary>
    public T* Pointer => (T*)Unsafe.AsPointer(ref _array[_offset]);

    public Span<T> Span => _array.AsSpan(_offset, Length);
}
