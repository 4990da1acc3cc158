using DiffSim.Systems;

namespace DiffSim.Neighbours;

/// <summary>
/// A full Verlet list (each pair stored for both partners) with a skin, grouped per particle by the neighbour's type:
/// the neighbours of type t of particle i are <c>Neighbours[GroupStart[i*T+t]..GroupStart[i*T+t+1]]</c>.
/// </summary>
/// <remarks>
/// A full list costs twice the pair evaluations of a half list, but each particle's force is then written by one
/// thread only: no scatter into neighbours, no atomics, and results identical for any thread count. Grouping by
/// type lets the kernel use one parameter set per group, so SIMD lanes never need per-lane parameter gathers.
/// The list is rebuilt when any particle has moved more than half the skin since the last build.
/// </remarks>
public sealed class VerletList
{
    /// <summary>Entries past the end of <see cref="Neighbours"/> kept valid, so a kernel's last vector may read a whole vector width.</summary>
    public const int Slack = 16;

    private readonly double[] _listCutoff2;
    private readonly CellList _cells = new();
    private double[] _x0 = [], _y0 = [], _z0 = [];
    private int[][] _chunkNeighbours = [];

    /// <param name="typeCount">Number of particle types.</param>
    /// <param name="cutoffs">Interaction cutoff per type pair, row-major typeCount × typeCount.</param>
    /// <param name="skin">Extra list range beyond each cutoff (length units).</param>
    public VerletList(int typeCount, ReadOnlySpan<double> cutoffs, double skin)
    {
        if (cutoffs.Length != typeCount * typeCount) throw new ArgumentException("one cutoff per type pair is needed");
        if (!(skin >= 0)) throw new ArgumentException($"neighbour skin must be non-negative, got {skin}");
        TypeCount = typeCount;
        Skin = skin;
        _listCutoff2 = new double[cutoffs.Length];
        for (var k = 0; k < cutoffs.Length; k++)
        {
            if (!(cutoffs[k] > 0)) throw new ArgumentException($"cutoffs must be positive, got {cutoffs[k]}");
            _listCutoff2[k] = (cutoffs[k] + skin) * (cutoffs[k] + skin);
            MaxCutoff = Math.Max(MaxCutoff, cutoffs[k]);
        }
    }

    public int TypeCount { get; }
    public double Skin { get; }
    public double MaxCutoff { get; }

    /// <summary>Neighbour indices, grouped by particle then by type, followed by <see cref="Slack"/> valid padding entries.</summary>
    public int[] Neighbours { get; private set; } = new int[Slack];

    /// <summary>Start of group (i, t) at index i*TypeCount + t; one extra entry closes the last group.</summary>
    public int[] GroupStart { get; private set; } = [];

    /// <summary>Number of builds so far.</summary>
    public int Builds { get; private set; }

    /// <summary>Number of stored pairs (each pair counted twice).</summary>
    public int PairCount => GroupStart.Length == 0 ? 0 : GroupStart[^1];

    /// <summary>Number of threads used for builds.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>True when the list has never been built, or some particle moved more than skin/2 since the last build.</summary>
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

    /// <summary>Makes the next <see cref="NeedsRebuild"/> true, so that a run restarted from saved positions builds the same list as the uninterrupted one.</summary>
    public void Invalidate() => _x0 = [];

    /// <summary>Wraps positions into the box and rebuilds the list.</summary>
    public void Build(State state)
    {
        var box = state.Box;
        box.EnsureFits(MaxCutoff);
        state.WrapPositions();
        var n = state.Count;
        _cells.Build(state.X, state.Y, state.Z, box, MaxCutoff + Skin);

        var chunkSize = 1024;
        var chunks = (n + chunkSize - 1) / chunkSize;
        if (_chunkNeighbours.Length != chunks) _chunkNeighbours = new int[chunks][];
        if (GroupStart.Length != n * TypeCount + 1) GroupStart = new int[n * TypeCount + 1];
        var counts = new int[chunks];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Threads) };
        Parallel.For(0, chunks, options, c =>
        {
            var i0 = c * chunkSize;
            var i1 = Math.Min(n, i0 + chunkSize);
            counts[c] = BuildRange(state, i0, i1, ref _chunkNeighbours[c]);
        });

        var total = 0;
        foreach (var c in counts) total += c;
        if (Neighbours.Length < total + Slack) Neighbours = new int[(int)(1.1 * total) + Slack];
        var offset = 0;
        for (var c = 0; c < chunks; c++)
        {
            var i0 = c * chunkSize;
            var i1 = Math.Min(n, i0 + chunkSize);
            Array.Copy(_chunkNeighbours[c], 0, Neighbours, offset, counts[c]);
            // Group starts of a chunk were stored relative to the chunk; shift them to the global offset.
            for (var g = i0 * TypeCount; g < i1 * TypeCount; g++) GroupStart[g] += offset;
            offset += counts[c];
        }
        GroupStart[n * TypeCount] = offset;
        Array.Clear(Neighbours, offset, Neighbours.Length - offset);

        _x0 = (double[])state.X.Clone();
        _y0 = (double[])state.Y.Clone();
        _z0 = (double[])state.Z.Clone();
        Builds++;
    }

    private int BuildRange(State state, int i0, int i1, ref int[] buffer)
    {
        var box = state.Box;
        var x = state.X; var y = state.Y; var z = state.Z; var type = state.TypeOf;
        var nt = TypeCount;
        buffer ??= new int[Math.Max(64, (i1 - i0) * 64)];
        var perType = new List<int>[nt];
        for (var t = 0; t < nt; t++) perType[t] = new List<int>(128);
        Span<int> stencil = stackalloc int[27];
        var count = 0;
        for (var i = i0; i < i1; i++)
        {
            foreach (var list in perType) list.Clear();
            var ti = type[i];
            if (_cells.HasFullStencil)
            {
                _cells.Stencil(_cells.CellOf[i], stencil);
                foreach (var c in stencil)
                    for (var k = _cells.Start[c]; k < _cells.Start[c + 1]; k++)
                        Consider(_cells.Sorted[k]);
            }
            else
            {
                // Too few cells for a stencil without repeats: test every particle (small systems only).
                for (var j = 0; j < state.Count; j++) Consider(j);
            }

            for (var t = 0; t < nt; t++)
            {
                GroupStart[i * nt + t] = count;
                var list = perType[t];
                if (count + list.Count > buffer.Length) Array.Resize(ref buffer, Math.Max(2 * buffer.Length, count + list.Count));
                list.CopyTo(buffer, count);
                count += list.Count;
            }

            void Consider(int j)
            {
                if (j == i) return;
                var dx = Box.MinimumImage(x[i] - x[j], box.Lx);
                var dy = Box.MinimumImage(y[i] - y[j], box.Ly);
                var dz = Box.MinimumImage(z[i] - z[j], box.Lz);
                var tj = type[j];
                if (dx * dx + dy * dy + dz * dz < _listCutoff2[ti * nt + tj]) perType[tj].Add(j);
            }
        }
        return count;
    }

    /// <summary>Bytes held by the list.</summary>
    public long Bytes => (long)(Neighbours.Length + GroupStart.Length) * sizeof(int) + 3L * _x0.Length * sizeof(double);
}
