using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Neighbours;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Forces;

/// <summary>
/// A pair interaction with per type-pair parameters, evaluated over a cluster-pair list that it rebuilds as needed:
/// the engine's equivalent of a LAMMPS pair style together with its neighbour list.
/// </summary>
/// <remarks>
/// The forward kernel works in its own copy of the particles, sorted in space order at each list build
/// (<see cref="ClusterPairList.Order"/>); the <see cref="State"/> keeps its particle order. The work is split into
/// a fixed number of parts, each with its own force buffer, summed in part order at the end, so that the result is
/// the same bit for bit whether one or two threads run the parts.
/// </remarks>
public sealed class PairForceField<TPotential> : IForceField where TPotential : struct, IPairPotential<TPotential>
{
    private readonly KernelPath _path;
    private readonly int _parts;
    private readonly int[] _partStart;
    private object? _work;

    public PairForceField(PairTable<TPotential> table, double skin, Precision precision = Precision.Double, KernelPath path = KernelPath.Auto, int threads = 1)
    {
        Table = table;
        Precision = precision;
        _path = KernelPaths.Resolve(path);
        Threads = Math.Max(1, threads);
        _parts = Math.Max(2, Threads);
        _partStart = new int[_parts + 1];
        List = new VerletList(table.TypeCount, table.Cutoffs, skin) { Threads = Threads };
        var jClusterSize = _path switch
        {
            KernelPath.Vector512 => precision == Precision.Float ? Vector512<float>.Count : Vector512<double>.Count,
            KernelPath.Vector256 => precision == Precision.Float ? Vector256<float>.Count : Vector256<double>.Count,
            _ => ClusterPairList.IClusterSize,
        };
        Clusters = new ClusterPairList(jClusterSize, List.MaxCutoff, skin);
    }

    public PairTable<TPotential> Table { get; }

    /// <summary>
    /// A per-particle Verlet list over the same cutoffs and skin, for callers that need each particle's neighbours
    /// (the adjoint). The forward <see cref="Compute"/> does not build it; it uses <see cref="Clusters"/>.
    /// </summary>
    public VerletList List { get; }

    /// <summary>The cluster-pair list of the forward kernel.</summary>
    public ClusterPairList Clusters { get; }

    public Precision Precision { get; }
    public KernelPath Path => _path;
    public int Threads { get; }
    public double MaxCutoff => List.MaxCutoff;
    public int ListBuilds => Clusters.Builds;

    /// <summary>Bytes held by the force field's working arrays and its cluster list (the <see cref="List"/> is counted apart).</summary>
    public long Bytes => Clusters.Bytes + _work switch
    {
        Work<float> w => w.Bytes,
        Work<double> w => w.Bytes,
        _ => 0,
    };

    /// <summary>Forgets both neighbour lists (the forward cluster-pair list and the per-particle list), so the next use rebuilds them from the current positions.</summary>
    public void InvalidateNeighbours()
    {
        Clusters.Invalidate();
        List.Invalidate();
    }

    public ForceResult Compute(State state)
    {
        if (Clusters.NeedsRebuild(state))
        {
            Clusters.Build(state, Threads);
            BalanceParts();
        }
        return Precision == Precision.Float ? Run<float>(state) : Run<double>(state);
    }

    /// <summary>Splits the i-clusters into parts of about equal entry counts.</summary>
    private void BalanceParts()
    {
        var starts = Clusters.EntryStart;
        var ni = Clusters.IClusterCount;
        var ci = 0;
        for (var p = 0; p < _parts; p++)
        {
            _partStart[p] = ci;
            var target = (long)Clusters.EntryCount * (p + 1) / _parts;
            while (ci < ni && starts[ci + 1] <= target) ci++;
        }
        _partStart[_parts] = ni;
    }

    /// <summary>The kernel's working arrays in precision T, in slot order, pinned so that the kernels can use raw pointers.</summary>
    private sealed class Work<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] X = [], Y = [], Z = [], Type = [];
        public T[][] Fx = [], Fy = [], Fz = [];
        public int Builds = -1;
        public double[] Energy = [], Virial = [];
        public T[] Cut2 = [], Shift = [], ShiftX = new T[27], ShiftY = new T[27], ShiftZ = new T[27];

        public long Bytes => (long)Unsafe.SizeOf<T>() * (X.Length + Y.Length + Z.Length + Type.Length + 3L * Fx.Sum(f => f.Length));
    }

    private unsafe ForceResult Run<T>(State state) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = Clusters;
        var work = _work as Work<T> ?? new Work<T>();
        _work = work;
        var slots = list.SlotCount;
        if (work.Builds != list.Builds)
        {
            if (work.X.Length != slots)
            {
                work.X = GC.AllocateArray<T>(slots, pinned: true);
                work.Y = GC.AllocateArray<T>(slots, pinned: true);
                work.Z = GC.AllocateArray<T>(slots, pinned: true);
                work.Type = GC.AllocateArray<T>(slots, pinned: true);
                work.Fx = new T[_parts][]; work.Fy = new T[_parts][]; work.Fz = new T[_parts][];
                for (var p = 0; p < _parts; p++)
                {
                    work.Fx[p] = GC.AllocateArray<T>(slots, pinned: true);
                    work.Fy[p] = GC.AllocateArray<T>(slots, pinned: true);
                    work.Fz[p] = GC.AllocateArray<T>(slots, pinned: true);
                }
                work.Energy = new double[_parts];
                work.Virial = new double[_parts];
            }
            for (var s = 0; s < slots; s++)
            {
                if (list.Order[s] >= 0) continue;
                work.X[s] = work.Y[s] = work.Z[s] = T.CreateTruncating(list.GhostPosition(s));
            }
            for (var s = 0; s < slots; s++) work.Type[s] = T.CreateTruncating(list.SlotType[s]);
            work.Builds = list.Builds;
        }

        var order = list.Order;
        for (var s = 0; s < slots; s++)
        {
            var a = order[s];
            if (a < 0) continue;
            work.X[s] = T.CreateTruncating(state.X[a]);
            work.Y[s] = T.CreateTruncating(state.Y[a]);
            work.Z[s] = T.CreateTruncating(state.Z[a]);
        }

        var pairs = Table.Potentials.Length;
        if (work.Cut2.Length != pairs) { work.Cut2 = new T[pairs]; work.Shift = new T[pairs]; }
        var cut2 = work.Cut2;
        var shift = work.Shift;
        // Refilled every call: the parameters (and with them the shifts) change between training windows.
        for (var p = 0; p < pairs; p++)
        {
            cut2[p] = T.CreateTruncating(Table.Cutoffs[p] * Table.Cutoffs[p]);
            shift[p] = T.CreateTruncating(Table.Shifts[p]);
        }
        var box = state.Box;
        T[] shiftX = work.ShiftX, shiftY = work.ShiftY, shiftZ = work.ShiftZ;
        for (var s = 0; s < 27; s++)
        {
            var (sx, sy, sz) = ClusterPairList.ShiftOf(s);
            shiftX[s] = T.CreateTruncating(sx * box.Lx);
            shiftY[s] = T.CreateTruncating(sy * box.Ly);
            shiftZ[s] = T.CreateTruncating(sz * box.Lz);
        }

        fixed (int* entries = list.Entries, entryStart = list.EntryStart, slotType = list.SlotType, jTypes = list.JClusterTypes)
        fixed (T* x = work.X, y = work.Y, z = work.Z, type = work.Type)
        {
            var input = new ClusterInput<T, TPotential>
            {
                X = x, Y = y, Z = z, Type = type,
                Entries = entries, EntryStart = entryStart, SlotType = slotType, JClusterTypes = jTypes,
                TypeCount = Table.TypeCount,
                Potentials = Table.Potentials,
                Cutoff2 = cut2,
                Shift = shift,
                ShiftX = shiftX, ShiftY = shiftY, ShiftZ = shiftZ,
            };
            if (Threads == 1)
            {
                for (var p = 0; p < _parts; p++) RunPart(input, work, p);
            }
            else
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = Threads };
                Parallel.For(0, _parts, options, p => RunPart(input, work, p));
            }
        }

        // Part sums in part order: the same result for any thread count.
        for (var s = 0; s < slots; s++)
        {
            var a = order[s];
            if (a < 0) continue;
            double fx = 0, fy = 0, fz = 0;
            for (var p = 0; p < _parts; p++)
            {
                fx += double.CreateTruncating(work.Fx[p][s]);
                fy += double.CreateTruncating(work.Fy[p][s]);
                fz += double.CreateTruncating(work.Fz[p][s]);
            }
            state.Fx[a] = fx; state.Fy[a] = fy; state.Fz[a] = fz;
        }
        double energy = 0, virial = 0;
        for (var p = 0; p < _parts; p++) { energy += work.Energy[p]; virial += work.Virial[p]; }
        return new ForceResult(energy, virial);
    }

    private unsafe void RunPart<T>(in ClusterInput<T, TPotential> input, Work<T> work, int p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Array.Clear(work.Fx[p]); Array.Clear(work.Fy[p]); Array.Clear(work.Fz[p]);
        fixed (T* fx = work.Fx[p], fy = work.Fy[p], fz = work.Fz[p])
        {
            var forces = new ClusterForces<T> { X = fx, Y = fy, Z = fz };
            int ci0 = _partStart[p], ci1 = _partStart[p + 1];
            var (e, w) = _path switch
            {
                KernelPath.Vector512 => ClusterPairKernel<T, TPotential>.Vector512Path(input, forces, ci0, ci1),
                KernelPath.Vector256 => ClusterPairKernel<T, TPotential>.Vector256Path(input, forces, ci0, ci1),
                _ => ClusterPairKernel<T, TPotential>.Scalar(input, forces, ci0, ci1),
            };
            work.Energy[p] = e;
            work.Virial[p] = w;
        }
    }
}
