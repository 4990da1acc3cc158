using System.Numerics;
using DiffSim.Neighbours;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Forces;

/// <summary>
/// A pair interaction with per type-pair parameters, evaluated over a Verlet list that it rebuilds as needed:
/// the engine's equivalent of a LAMMPS pair style together with its neighbour list.
/// </summary>
public sealed class PairForceField<TPotential> : IForceField where TPotential : struct, IPairPotential<TPotential>
{
    /// <summary>Particles per work item; fixed so that sums are made in the same order for any thread count.</summary>
    private const int ChunkSize = 256;

    private readonly KernelPath _path;
    private float[] _xf = [], _yf = [], _zf = [];
    private double[] _xd = [], _yd = [], _zd = [];
    private double[] _chunkEnergy = [], _chunkVirial = [];

    public PairForceField(PairTable<TPotential> table, double skin, Precision precision = Precision.Double, KernelPath path = KernelPath.Auto, int threads = 1)
    {
        Table = table;
        Precision = precision;
        _path = KernelPaths.Resolve(path);
        Threads = Math.Max(1, threads);
        List = new VerletList(table.TypeCount, table.Cutoffs, skin) { Threads = Threads };
    }

    public PairTable<TPotential> Table { get; }
    public VerletList List { get; }
    public Precision Precision { get; }
    public KernelPath Path => _path;
    public int Threads { get; }
    public double MaxCutoff => List.MaxCutoff;
    public int ListBuilds => List.Builds;

    public ForceResult Compute(State state)
    {
        if (List.NeedsRebuild(state)) List.Build(state);
        return Precision == Precision.Float
            ? Run(state, ref _xf, ref _yf, ref _zf)
            : Run(state, ref _xd, ref _yd, ref _zd);
    }

    private unsafe ForceResult Run<T>(State state, ref T[] xs, ref T[] ys, ref T[] zs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = state.Count;
        if (xs.Length != n + 1)
        {
            // Pinned, so the kernel can gather through raw pointers; one spare entry keeps empty systems addressable.
            xs = GC.AllocateArray<T>(n + 1, pinned: true);
            ys = GC.AllocateArray<T>(n + 1, pinned: true);
            zs = GC.AllocateArray<T>(n + 1, pinned: true);
        }
        for (var i = 0; i < n; i++)
        {
            xs[i] = T.CreateTruncating(state.X[i]);
            ys[i] = T.CreateTruncating(state.Y[i]);
            zs[i] = T.CreateTruncating(state.Z[i]);
        }
        var pairs = Table.Potentials.Length;
        var cut2 = new T[pairs];
        var shift = new T[pairs];
        for (var p = 0; p < pairs; p++)
        {
            cut2[p] = T.CreateTruncating(Table.Cutoffs[p] * Table.Cutoffs[p]);
            shift[p] = T.CreateTruncating(Table.Shifts[p]);
        }
        var box = state.Box;
        var input = new KernelInput<T, TPotential>
        {
            X = (T*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref xs[0]),
            Y = (T*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref ys[0]),
            Z = (T*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref zs[0]),
            Neighbours = List.Neighbours,
            GroupStart = List.GroupStart,
            TypeOf = state.TypeOf,
            TypeCount = Table.TypeCount,
            Potentials = Table.Potentials,
            Cutoff2 = cut2,
            Shift = shift,
            Lx = T.CreateTruncating(box.Lx),
            Ly = T.CreateTruncating(box.Ly),
            Lz = T.CreateTruncating(box.Lz),
            Fx = state.Fx,
            Fy = state.Fy,
            Fz = state.Fz,
        };

        var chunks = (n + ChunkSize - 1) / ChunkSize;
        if (_chunkEnergy.Length != chunks) { _chunkEnergy = new double[chunks]; _chunkVirial = new double[chunks]; }
        var path = _path;
        if (Threads == 1 || chunks == 1)
        {
            for (var c = 0; c < chunks; c++) RunChunk(input, path, c, n);
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Threads };
            Parallel.For(0, chunks, options, c => RunChunk(input, path, c, n));
        }

        double energy = 0, virial = 0;
        for (var c = 0; c < chunks; c++) { energy += _chunkEnergy[c]; virial += _chunkVirial[c]; }
        // The full list visits every pair twice.
        return new ForceResult(0.5 * energy, 0.5 * virial);
    }

    private void RunChunk<T>(in KernelInput<T, TPotential> input, KernelPath path, int c, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i0 = c * ChunkSize;
        var i1 = Math.Min(n, i0 + ChunkSize);
        var (e, w) = path switch
        {
            KernelPath.Vector512 => PairKernel<T, TPotential>.Vector512Path(input, i0, i1),
            KernelPath.Vector256 => PairKernel<T, TPotential>.Vector256Path(input, i0, i1),
            _ => PairKernel<T, TPotential>.Scalar(input, i0, i1),
        };
        _chunkEnergy[c] = e;
        _chunkVirial[c] = w;
    }
}
