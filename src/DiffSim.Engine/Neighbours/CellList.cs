using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// Particles binned into a grid of cells at least <c>minCellSize</c> wide, stored as a counting sort:
/// the particles of cell c are <c>Sorted[Start[c]..Start[c+1]]</c>. Positions must lie in [0, L).
/// </summary>
public sealed class CellList
{
    public int Nx { get; private set; }
    public int Ny { get; private set; }
    public int Nz { get; private set; }
    public int[] Start { get; private set; } = [];
    public int[] Sorted { get; private set; } = [];
    public int[] CellOf { get; private set; } = [];

    public int CellCount => Nx * Ny * Nz;

    /// <summary>True when every direction has at least 3 cells, so the 27-cell stencil visits no cell twice.</summary>
    public bool HasFullStencil => Nx >= 3 && Ny >= 3 && Nz >= 3;

    public void Build(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, Box box, double minCellSize)
    {
        Nx = Math.Max(1, (int)(box.Lx / minCellSize));
        Ny = Math.Max(1, (int)(box.Ly / minCellSize));
        Nz = Math.Max(1, (int)(box.Lz / minCellSize));
        var n = x.Length;
        if (Start.Length != CellCount + 1) Start = new int[CellCount + 1];
        else Array.Clear(Start);
        if (Sorted.Length != n) { Sorted = new int[n]; CellOf = new int[n]; }

        double sx = Nx / box.Lx, sy = Ny / box.Ly, sz = Nz / box.Lz;
        for (var i = 0; i < n; i++)
        {
            var cx = Math.Min((int)(x[i] * sx), Nx - 1);
            var cy = Math.Min((int)(y[i] * sy), Ny - 1);
            var cz = Math.Min((int)(z[i] * sz), Nz - 1);
            var c = (cz * Ny + cy) * Nx + cx;
            CellOf[i] = c;
            Start[c + 1]++;
        }
        for (var c = 0; c < CellCount; c++) Start[c + 1] += Start[c];
        Span<int> fill = CellCount <= 4096 ? stackalloc int[CellCount] : new int[CellCount];
        Start.AsSpan(0, CellCount).CopyTo(fill);
        for (var i = 0; i < n; i++) Sorted[fill[CellOf[i]]++] = i;
    }

    /// <summary>The 27 cells around cell c (c included), with periodic wrap; requires <see cref="HasFullStencil"/>.</summary>
    public void Stencil(int c, Span<int> cells)
    {
        var cx = c % Nx;
        var cy = c / Nx % Ny;
        var cz = c / (Nx * Ny);
        var k = 0;
        for (var dz = -1; dz <= 1; dz++)
        for (var dy = -1; dy <= 1; dy++)
        for (var dx = -1; dx <= 1; dx++)
            cells[k++] = ((cz + dz + Nz) % Nz * Ny + (cy + dy + Ny) % Ny) * Nx + (cx + dx + Nx) % Nx;
    }
}
