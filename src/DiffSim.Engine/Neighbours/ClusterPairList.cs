using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// A cluster-pair list after Páll and Hess, Comput. Phys. Commun. 184, 2641 (2013) (GROMACS nbnxm, "4xM"): particles
/// sorted into columns of an x–y grid and by z within each column, then cut into i-clusters of 4 and j-clusters of
/// M (the SIMD width of the kernel). The list holds, for each i-cluster, the j-clusters (with a periodic image)
/// whose bounding boxes come within r_c + skin. A j-cluster is a contiguous run of slots, so the kernel loads its
/// coordinates with one vector load per component and never gathers.
/// </summary>
/// <remarks>
/// <para>
/// Half list (Newton's third law): the atom pair in slots (a, b) with image shift s is stored once, for a &lt; b.
/// With i-clusters of 4 and j-clusters of M (a multiple of 4), that means j-cluster cj is listed for i-cluster ci when
/// cj ≥ ⌊4ci/M⌋; when cj = ⌊4ci/M⌋ the i-cluster lies inside the j-cluster and the kernel masks lanes b ≤ a.
/// A full cluster list (every pair twice, no j-force stores, no part buffers) was not built: the half list does half
/// the rows, and one j-force load and store per entry of 4 rows costs far less than that.
/// </para>
/// <para>
/// Periodic images are explicit: each entry carries one of 27 shift vectors, so the kernel needs no minimum-image
/// rounding. Columns are padded with ghost slots to a multiple of M; ghosts sit far outside the box and far from each
/// other, so the cutoff test masks them without a separate mask. Slots are a permutation of the particles in space
/// order (<see cref="Order"/>): the force field copies positions into slot order each step and writes forces back
/// through it, so the <see cref="State"/> arrays keep their order.
/// </para>
/// </remarks>
public sealed class ClusterPairList
{
    /// <summary>Particles per i-cluster: 4 rows of force accumulators (12 registers) fit the 16 AVX registers.</summary>
    public const int IClusterSize = 4;

    /// <summary>Bits of an entry that hold the shift index (27 shifts).</summary>
    public const int ShiftBits = 5;

    /// <summary>Index of the zero shift among the 27.</summary>
    public const int NoShift = 13;

    private double[] _x0 = [], _y0 = [], _z0 = [];
    private double[] _iBox = [], _jBox = [];
    private int[] _iColumn = [];
    private int[] _columnSlotStart = [];
    private int[][] _chunkEntries = [];

    /// <param name="jClusterSize">Particles per j-cluster: the kernel's SIMD width, a multiple of 4.</param>
    /// <param name="maxCutoff">Largest interaction cutoff (length units).</param>
    /// <param name="skin">Extra list range beyond the cutoff (length units).</param>
    public ClusterPairList(int jClusterSize, double maxCutoff, double skin)
    {
        if (jClusterSize < IClusterSize || jClusterSize % IClusterSize != 0) throw new ArgumentException($"the j-cluster size must be a multiple of {IClusterSize}, got {jClusterSize}");
        if (!(maxCutoff > 0)) throw new ArgumentException($"the cutoff must be positive, got {maxCutoff}");
        if (!(skin >= 0)) throw new ArgumentException($"neighbour skin must be non-negative, got {skin}");
        JClusterSize = jClusterSize;
        MaxCutoff = maxCutoff;
        Skin = skin;
    }

    public int JClusterSize { get; }
    public double MaxCutoff { get; }
    public double Skin { get; }

    /// <summary>Range of the list: r_c + skin.</summary>
    public double Range => MaxCutoff + Skin;

    /// <summary>Particle index of each slot, −1 for a ghost. Length <see cref="SlotCount"/>.</summary>
    public int[] Order { get; private set; } = [];

    public int SlotCount => Order.Length;
    public int IClusterCount => Order.Length / IClusterSize;

    /// <summary>Type of the particle in each slot (0 for ghosts).</summary>
    public int[] SlotType { get; private set; } = [];

    /// <summary>Bit t set when j-cluster c holds a particle of type t.</summary>
    public int[] JClusterTypes { get; private set; } = [];

    /// <summary>Entries of i-cluster ci are <c>Entries[EntryStart[ci]..EntryStart[ci+1]]</c>.</summary>
    public int[] EntryStart { get; private set; } = [0];

    /// <summary>Packed entries: j-cluster index &lt;&lt; <see cref="ShiftBits"/> | shift index (see <see cref="ShiftOf"/>).</summary>
    public int[] Entries { get; private set; } = [];

    public int EntryCount => EntryStart[^1];

    /// <summary>Position of a ghost slot: far outside the box, and far from every other ghost, so no cutoff test ever passes.</summary>
    public double GhostPosition(int slot) => -(4 * _boxEdge + 2 * Range * (slot + 1));
    private double _boxEdge;

    /// <summary>Number of builds so far.</summary>
    public int Builds { get; private set; }

    /// <summary>The image shift (−1, 0 or 1 box lengths per axis) of shift index s: the j-cluster is taken at x_j + shift·L.</summary>
    public static (int X, int Y, int Z) ShiftOf(int s) => (s / 9 - 1, s / 3 % 3 - 1, s % 3 - 1);

    /// <summary>True when the list has never been built for this many particles, or some particle moved more than skin/2 since the last build.</summary>
    /// <summary>Makes the next <see cref="NeedsRebuild"/> true, so a run restarted from saved positions builds the same list as the uninterrupted one.</summary>
    public void Invalidate() => _x0 = [];

    public bool NeedsRebuild(State state)
    {
        if (_x0.Length != state.Count) return true;
        var limit = 0.25 * Skin * Skin;
        var x = state.X; var y = state.Y; var z = state.Z;
        for (var i = 0; i < x.Length; i++)
        {
            double dx = x[i] - _x0[i], dy = y[i] - _y0[i], dz = z[i] - _z0[i];
            if (dx * dx + dy * dy + dz * dz > limit) return true;
        }
        return false;
    }

    /// <summary>Wraps positions into the box, sorts the particles into clusters and rebuilds the list.</summary>
    public void Build(State state, int threads = 1)
    {
        var box = state.Box;
        box.EnsureFits(MaxCutoff);
        state.WrapPositions();
        _boxEdge = Math.Max(box.Lx, Math.Max(box.Ly, box.Lz));
        var (ncx, ncy) = Sort(state);
        BuildBoxes(state);
        Search(state, ncx, ncy, threads);
        _x0 = (double[])state.X.Clone();
        _y0 = (double[])state.Y.Clone();
        _z0 = (double[])state.Z.Clone();
        Builds++;
    }

    /// <summary>
    /// Bins particles into columns about one i-cluster wide (so that an i-cluster is roughly cubic), sorts each column
    /// by z and pads it with ghosts to whole j-clusters. Returns the column grid.
    /// </summary>
    private (int Ncx, int Ncy) Sort(State state)
    {
        var box = state.Box;
        var n = state.Count;
        var edge = n == 0 ? box.MinEdge : Math.Cbrt(IClusterSize * box.Volume / n);
        var ncx = Math.Max(1, (int)(box.Lx / edge));
        var ncy = Math.Max(1, (int)(box.Ly / edge));
        var columns = ncx * ncy;
        double sx = ncx / box.Lx, sy = ncy / box.Ly;

        var column = new int[n];
        var start = new int[columns + 1];
        for (var i = 0; i < n; i++)
        {
            var cx = Math.Min((int)(state.X[i] * sx), ncx - 1);
            var cy = Math.Min((int)(state.Y[i] * sy), ncy - 1);
            column[i] = cx * ncy + cy;
            start[column[i] + 1]++;
        }
        for (var c = 0; c < columns; c++) start[c + 1] += start[c];
        var byColumn = new int[n];
        var fill = start[..columns];
        for (var i = 0; i < n; i++) byColumn[fill[column[i]]++] = i;
        var keys = new double[n];
        for (var k = 0; k < n; k++) keys[k] = state.Z[byColumn[k]];

        var m = JClusterSize;
        if (_columnSlotStart.Length != columns + 1) _columnSlotStart = new int[columns + 1];
        _columnSlotStart[0] = 0;
        for (var c = 0; c < columns; c++)
        {
            var count = start[c + 1] - start[c];
            _columnSlotStart[c + 1] = _columnSlotStart[c] + (count + m - 1) / m * m;
            keys.AsSpan(start[c], count).Sort(byColumn.AsSpan(start[c], count));
        }

        var slots = _columnSlotStart[columns];
        if (Order.Length != slots) { Order = new int[slots]; SlotType = new int[slots]; }
        Order.AsSpan().Fill(-1);
        SlotType.AsSpan().Clear();
        if (_iColumn.Length != slots / IClusterSize) _iColumn = new int[slots / IClusterSize];
        for (var c = 0; c < columns; c++)
        {
            var count = start[c + 1] - start[c];
            for (var k = 0; k < count; k++)
            {
                var atom = byColumn[start[c] + k];
                Order[_columnSlotStart[c] + k] = atom;
                SlotType[_columnSlotStart[c] + k] = state.TypeOf[atom];
            }
            for (var s = _columnSlotStart[c]; s < _columnSlotStart[c + 1]; s += IClusterSize) _iColumn[s / IClusterSize] = c;
        }
        return (ncx, ncy);
    }

    /// <summary>Bounding boxes (min x, y, z, max x, y, z) of the real particles of every i- and j-cluster; empty boxes are inverted.</summary>
    private void BuildBoxes(State state)
    {
        var ni = IClusterCount;
        var nj = SlotCount / JClusterSize;
        if (_iBox.Length != 6 * ni) _iBox = new double[6 * ni];
        if (_jBox.Length != 6 * nj) { _jBox = new double[6 * nj]; JClusterTypes = new int[nj]; }
        for (var ci = 0; ci < ni; ci++)
        {
            var b = _iBox.AsSpan(6 * ci, 6);
            b[..3].Fill(double.PositiveInfinity);
            b[3..].Fill(double.NegativeInfinity);
            for (var s = ci * IClusterSize; s < (ci + 1) * IClusterSize; s++)
            {
                var a = Order[s];
                if (a < 0) continue;
                b[0] = Math.Min(b[0], state.X[a]); b[3] = Math.Max(b[3], state.X[a]);
                b[1] = Math.Min(b[1], state.Y[a]); b[4] = Math.Max(b[4], state.Y[a]);
                b[2] = Math.Min(b[2], state.Z[a]); b[5] = Math.Max(b[5], state.Z[a]);
            }
        }
        var per = JClusterSize / IClusterSize;
        for (var cj = 0; cj < nj; cj++)
        {
            var b = _jBox.AsSpan(6 * cj, 6);
            b[..3].Fill(double.PositiveInfinity);
            b[3..].Fill(double.NegativeInfinity);
            for (var ci = cj * per; ci < (cj + 1) * per; ci++)
                for (var d = 0; d < 3; d++)
                {
                    b[d] = Math.Min(b[d], _iBox[6 * ci + d]);
                    b[d + 3] = Math.Max(b[d + 3], _iBox[6 * ci + d + 3]);
                }
            var types = 0;
            for (var s = cj * JClusterSize; s < (cj + 1) * JClusterSize; s++)
                if (Order[s] >= 0) types |= 1 << SlotType[s];
            JClusterTypes[cj] = types;
        }
    }

    /// <summary>Finds the j-clusters of every i-cluster, in parallel over fixed chunks of i-clusters (the result does not depend on the thread count).</summary>
    private void Search(State state, int ncx, int ncy, int threads)
    {
        const int chunkSize = 512;
        var ni = IClusterCount;
        var chunks = (ni + chunkSize - 1) / chunkSize;
        if (_chunkEntries.Length != chunks) _chunkEntries = new int[chunks][];
        if (EntryStart.Length != ni + 1) EntryStart = new int[ni + 1];
        var counts = new int[chunks];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        Parallel.For(0, chunks, options, c =>
        {
            var i0 = c * chunkSize;
            var i1 = Math.Min(ni, i0 + chunkSize);
            counts[c] = SearchRange(state, ncx, ncy, i0, i1, ref _chunkEntries[c]);
        });

        var total = 0;
        foreach (var c in counts) total += c;
        if (Entries.Length < total) Entries = new int[(int)(1.1 * total) + 16];
        var offset = 0;
        for (var c = 0; c < chunks; c++)
        {
            Array.Copy(_chunkEntries[c], 0, Entries, offset, counts[c]);
            // Entry starts of a chunk were stored relative to the chunk; shift them to the global offset.
            for (var ci = c * chunkSize; ci < Math.Min(ni, (c + 1) * chunkSize); ci++) EntryStart[ci] += offset;
            offset += counts[c];
        }
        EntryStart[ni] = offset;
    }

    private int SearchRange(State state, int ncx, int ncy, int i0, int i1, ref int[] buffer)
    {
        var box = state.Box;
        var m = JClusterSize;
        var range = Range;
        var range2 = range * range;
        double wx = box.Lx / ncx, wy = box.Ly / ncy;
        int mx = (int)Math.Ceiling(range / wx), my = (int)Math.Ceiling(range / wy);
        buffer ??= new int[Math.Max(64, (i1 - i0) * 64)];
        var count = 0;
        for (var ci = i0; ci < i1; ci++)
        {
            EntryStart[ci] = count;
            var ib = _iBox.AsSpan(6 * ci, 6);
            if (ib[0] > ib[3]) continue; // ghosts only
            var firstJ = ci * IClusterSize / m; // half list: cj ≥ ⌊4ci/M⌋
            var column = _iColumn[ci];
            int cx = column / ncy, cy = column % ncy;
            for (var dx = -mx; dx <= mx; dx++)
            {
                var jcx = Mod(cx + dx, ncx);
                var sx = (cx + dx - jcx) / ncx;
                var ox = sx * box.Lx;
                var gapX = Gap(ib[0], ib[3], jcx * wx + ox, (jcx + 1) * wx + ox);
                if (gapX >= range) continue;
                for (var dy = -my; dy <= my; dy++)
                {
                    var jcy = Mod(cy + dy, ncy);
                    var sy = (cy + dy - jcy) / ncy;
                    var oy = sy * box.Ly;
                    var gapY = Gap(ib[1], ib[4], jcy * wy + oy, (jcy + 1) * wy + oy);
                    if (gapX * gapX + gapY * gapY >= range2) continue;
                    var jc = jcx * ncy + jcy;
                    int j0 = _columnSlotStart[jc] / m, j1 = _columnSlotStart[jc + 1] / m;
                    if (j1 <= firstJ) continue;
                    for (var sz = -1; sz <= 1; sz++)
                    {
                        var oz = sz * box.Lz;
                        // j-clusters of a column are sorted by z, so both their lower and upper bounds rise with the index.
                        double lo = ib[2] - range - oz, hi = ib[5] + range - oz;
                        var j = FirstWithTopAbove(j0, j1, lo);
                        for (j = Math.Max(j, firstJ); j < j1 && _jBox[6 * j + 2] <= hi; j++)
                        {
                            var jb = _jBox.AsSpan(6 * j, 6);
                            var gx = Gap(ib[0], ib[3], jb[0] + ox, jb[3] + ox);
                            var gy = Gap(ib[1], ib[4], jb[1] + oy, jb[4] + oy);
                            var gz = Gap(ib[2], ib[5], jb[2] + oz, jb[5] + oz);
                            if (gx * gx + gy * gy + gz * gz >= range2) continue;
                            if (!AnyParticleNear(state, ci, jb, ox, oy, oz, range2)) continue;
                            if (count == buffer.Length) Array.Resize(ref buffer, 2 * buffer.Length);
                            buffer[count++] = j << ShiftBits | (sx + 1) * 9 + (sy + 1) * 3 + (sz + 1);
                        }
                    }
                }
            }
        }
        return count;
    }

    /// <summary>Tighter than box against box: some particle of i-cluster ci lies within the range of the j-cluster's (shifted) box.</summary>
    private bool AnyParticleNear(State state, int ci, ReadOnlySpan<double> jb, double ox, double oy, double oz, double range2)
    {
        for (var s = ci * IClusterSize; s < (ci + 1) * IClusterSize; s++)
        {
            if (Order[s] < 0) continue;
            var a = Order[s];
            var gx = Gap(state.X[a], state.X[a], jb[0] + ox, jb[3] + ox);
            var gy = Gap(state.Y[a], state.Y[a], jb[1] + oy, jb[4] + oy);
            var gz = Gap(state.Z[a], state.Z[a], jb[2] + oz, jb[5] + oz);
            if (gx * gx + gy * gy + gz * gz < range2) return true;
        }
        return false;
    }

    private int FirstWithTopAbove(int j0, int j1, double lo)
    {
        while (j0 < j1)
        {
            var mid = (j0 + j1) >>> 1;
            if (_jBox[6 * mid + 5] < lo) j0 = mid + 1; else j1 = mid;
        }
        return j0;
    }

    /// <summary>Distance between the intervals [a0, a1] and [b0, b1] (0 when they overlap).</summary>
    private static double Gap(double a0, double a1, double b0, double b1) => Math.Max(0.0, Math.Max(b0 - a1, a0 - b1));

    private static int Mod(int a, int n) => (a % n + n) % n;

    /// <summary>Bytes held by the list.</summary>
    public long Bytes =>
        (long)(Order.Length + SlotType.Length + _iColumn.Length + JClusterTypes.Length + EntryStart.Length + Entries.Length + _columnSlotStart.Length) * sizeof(int)
        + (long)(_iBox.Length + _jBox.Length + 3 * _x0.Length) * sizeof(double)
        + _chunkEntries.Sum(c => c is null ? 0L : (long)c.Length * sizeof(int));
}
