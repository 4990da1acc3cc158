namespace DiffSim.Setup;

/// <summary>Crystal lattices used as starting structures.</summary>
public enum LatticeKind
{
    /// <summary>Face-centred cubic: 4 sites per cubic cell.</summary>
    Fcc,
    /// <summary>Simple cubic: 1 site per cubic cell.</summary>
    Sc,
}

/// <summary>Builds lattice sites, as LAMMPS <c>lattice fcc ρ</c> does: the cell edge follows from the number density.</summary>
public static class Lattice
{
    public static int SitesPerCell(LatticeKind kind) => kind == LatticeKind.Fcc ? 4 : 1;

    /// <summary>Cubic cell edge a with (sites per cell)/a³ = ρ.</summary>
    public static double CellEdge(LatticeKind kind, double density)
    {
        if (!(density > 0) || double.IsInfinity(density))
            throw new ArgumentException($"density must be positive and finite, got {density}");
        return Math.Cbrt(SitesPerCell(kind) / density);
    }

    /// <summary>Sites of nx × ny × nz cells, cell by cell with x fastest, as (x, y, z) arrays.</summary>
    public static (double[] X, double[] Y, double[] Z) Sites(LatticeKind kind, int nx, int ny, int nz, double cellEdge)
    {
        if (nx < 1 || ny < 1 || nz < 1) throw new ArgumentException($"lattice cells must be at least 1 in each direction, got [{nx}, {ny}, {nz}]");
        ReadOnlySpan<double> basis = kind == LatticeKind.Fcc
            ? [0, 0, 0, 0.5, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0.5]
            : [0, 0, 0];
        var perCell = basis.Length / 3;
        var n = nx * ny * nz * perCell;
        var x = new double[n];
        var y = new double[n];
        var z = new double[n];
        var s = 0;
        for (var k = 0; k < nz; k++)
        for (var j = 0; j < ny; j++)
        for (var i = 0; i < nx; i++)
        for (var b = 0; b < perCell; b++)
        {
            x[s] = (i + basis[3 * b]) * cellEdge;
            y[s] = (j + basis[3 * b + 1]) * cellEdge;
            z[s] = (k + basis[3 * b + 2]) * cellEdge;
            s++;
        }
        return (x, y, z);
    }
}
