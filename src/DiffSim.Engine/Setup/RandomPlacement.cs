using DiffSim.Numerics;
using DiffSim.Systems;

namespace DiffSim.Setup;

/// <summary>Random sequential placement with a minimum pair distance, for liquid starts and mixtures off a lattice.</summary>
public static class RandomPlacement
{
    /// <summary>Places <paramref name="count"/> points uniformly in the box, rejecting any closer than <paramref name="minDistance"/> to one already placed.</summary>
    public static (double[] X, double[] Y, double[] Z) Place(int count, Box box, double minDistance, ulong seed, int maxTriesPerParticle = 10_000)
    {
        var x = new double[count];
        var y = new double[count];
        var z = new double[count];
        var rng = new CounterRandom(seed);
        // A coarse grid with cells ≥ minDistance so each trial checks its 27 neighbouring cells only.
        var nx = Math.Max(1, (int)(box.Lx / Math.Max(minDistance, 1e-12)));
        var ny = Math.Max(1, (int)(box.Ly / Math.Max(minDistance, 1e-12)));
        var nz = Math.Max(1, (int)(box.Lz / Math.Max(minDistance, 1e-12)));
        nx = Math.Min(nx, 256); ny = Math.Min(ny, 256); nz = Math.Min(nz, 256);
        var cells = new List<int>[nx * ny * nz];
        var min2 = minDistance * minDistance;
        ulong counter = 0;
        for (var p = 0; p < count; p++)
        {
            var placed = false;
            for (var attempt = 0; attempt < maxTriesPerParticle && !placed; attempt++)
            {
                var px = rng.Uniform(0, counter++) * box.Lx;
                var py = rng.Uniform(0, counter++) * box.Ly;
                var pz = rng.Uniform(0, counter++) * box.Lz;
                int cx = (int)(px / box.Lx * nx) % nx, cy = (int)(py / box.Ly * ny) % ny, cz = (int)(pz / box.Lz * nz) % nz;
                var clash = false;
                for (var dz = -1; dz <= 1 && !clash; dz++)
                for (var dy = -1; dy <= 1 && !clash; dy++)
                for (var dx = -1; dx <= 1 && !clash; dx++)
                {
                    var c = ((cz + dz + nz) % nz * ny + (cy + dy + ny) % ny) * nx + (cx + dx + nx) % nx;
                    if (cells[c] is not { } members) continue;
                    foreach (var q in members)
                    {
                        var ddx = Box.MinimumImage(px - x[q], box.Lx);
                        var ddy = Box.MinimumImage(py - y[q], box.Ly);
                        var ddz = Box.MinimumImage(pz - z[q], box.Lz);
                        if (ddx * ddx + ddy * ddy + ddz * ddz < min2) { clash = true; break; }
                    }
                }
                if (clash) continue;
                x[p] = px; y[p] = py; z[p] = pz;
                (cells[(cz * ny + cy) * nx + cx] ??= []).Add(p);
                placed = true;
            }
            if (!placed)
                throw new InvalidOperationException(
                    $"random placement failed at particle {p + 1} of {count}: no free spot at minimum distance {minDistance}; lower min_distance or the density, or use a lattice");
        }
        return (x, y, z);
    }
}
