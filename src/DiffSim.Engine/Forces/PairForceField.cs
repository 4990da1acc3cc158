using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Neighbours;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Forces;

/// <summary>
/// A pair interaction with per type-pair parameters, evaluated over a half Verlet list that it rebuilds as needed:
/// the engine's equivalent of a LAMMPS pair style together with its neighbour list.
/// </summary>
/// <remarks>
/// The forward kernel works in its own copy of the particles, sorted in cell order at each list build and packed
/// as (x, y, z, type) with the periodic images after them (<see cref="HalfVerletList"/>); the <see cref="State"/>
/// keeps its particle order. The particles are split into parts, each with its own force buffer, summed in part
/// order at the end: at least two for a list long enough to share among threads, so that the result is the same bit
/// for bit whether one or two threads run the parts, and one for a shorter list, which every thread count runs alone.
/// <para>Dynamic pruning (GROMACS): a step that evaluates from the full list (r_c + skin) also keeps, per particle,
/// the partners within r_c + <see cref="PruneBuffer"/>, in list order and padded like the list; the following steps
/// evaluate from that pruned list until some particle has moved more than PruneBuffer/2 since the prune, which is
/// exact by the Verlet argument. The full list keeps its own rule (skin/2 since its build), and a build forces a
/// prune. A pruned list regroups a particle's partners into other vector lanes, so the forces differ from the full
/// list's in rounding; the pruning depends on the positions alone, not on the parts or threads.</para>
/// </remarks>
public sealed class PairForceField<TPotential> : IForceField where TPotential : struct, IPairPotential<TPotential>
{
    /// <summary>Below this many listed entries a step is too short to pay for handing parts to other threads.</summary>
    private const int ParallelEntries = 1 << 16;

    /// <summary>
    /// From this many particles the copies between the state and the slots (<see cref="Refresh"/>, <see cref="SumParts"/>)
    /// go in slot order, streaming through the packed buffers, which then outgrow the cache (double at 32,000 atoms: 1 MB
    /// a part); below it they go a vector of particles at a time in state order, scattering whole quadruples to the slots.
    /// </summary>
    private const int SlotOrderParticles = 4096;

    private readonly KernelPath _path;
    /// <summary>Parts of a list with at least <see cref="ParallelEntries"/> entries (at least 2, so that 1 and 2 threads agree); a shorter list is one part.</summary>
    private readonly int _maxParts;
    private int _parts;
    private readonly int[] _partStart;
    private readonly ParallelOptions _parallel;
    private object? _work;
    private readonly DisplacementCheck _sincePrune;
    private int[] _pruned = [], _prunedStart = [], _prunedEnd = [];
    private bool _pruneNow, _fromPruned;

    /// <summary>A pair interaction over a half list of reach r_c + <paramref name="skin"/>, pruned to r_c + <paramref name="pruneBuffer"/> between evaluations from it (0, or at least the skin: no pruning).</summary>
    public PairForceField(PairTable<TPotential> table, double skin, Precision precision = Precision.Double, KernelPath path = KernelPath.Auto, int threads = 1,
        double pruneBuffer = DefaultPruneBuffer)
    {
        // A pair never set would run with cutoff 0: no interaction and no word of it.
        table.EnsureComplete();
        Table = table;
        Precision = precision;
        _path = KernelPaths.Resolve(path);
        Threads = Math.Max(1, threads);
        _maxParts = Math.Max(2, Threads);
        _partStart = new int[_maxParts + 1];
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
        MaxCutoff = table.Cutoffs.Max();
        Skin = skin;
        if (!(pruneBuffer >= 0)) throw new ArgumentException($"the prune buffer must be non-negative, got {pruneBuffer}");
        PruneBuffer = pruneBuffer > 0 && pruneBuffer < skin ? pruneBuffer : 0;
        _sincePrune = new DisplacementCheck(PruneBuffer);
        var width = _path switch
        {
            KernelPath.Vector512 => precision == Precision.Float ? Vector512<float>.Count : Vector512<double>.Count,
            KernelPath.Vector256 => precision == Precision.Float ? Vector256<float>.Count : Vector256<double>.Count,
            _ => 1,
        };
        Neighbours = new HalfVerletList(width, MaxCutoff, skin);
    }

    public PairTable<TPotential> Table { get; }

    /// <summary>The half list of the forward kernel, padded to its vector width.</summary>
    public HalfVerletList Neighbours { get; }

    public Precision Precision { get; }
    public KernelPath Path => _path;
    public int Threads { get; }
    public double MaxCutoff { get; }

    /// <summary>The Verlet skin (length units): lists reach r_c + skin and are rebuilt after a skin/2 displacement.</summary>
    public double Skin { get; }
    public int ListBuilds => Neighbours.Builds;

    /// <summary>The pruned list's buffer beyond r_c chosen on in.lj (see docs/performance.md).</summary>
    public const double DefaultPruneBuffer = 0.15;

    /// <summary>The pruned list's reach beyond the cutoff (length units); 0 when the forces come from the full list every step.</summary>
    public double PruneBuffer { get; }

    /// <summary>Number of prunes so far (steps that evaluated from the full list and wrote the pruned one).</summary>
    public int Prunes { get; private set; }

    /// <summary>Entries of the last pruned list, padding included (0 before the first prune).</summary>
    public long PrunedEntryCount
    {
        get
        {
            long entries = 0;
            for (var i = 0; i < _prunedStart.Length; i++) entries += _prunedEnd[i] - _prunedStart[i];
            return entries;
        }
    }

    /// <summary>Bytes held by the force field's working arrays and its half list.</summary>
    public long Bytes => Neighbours.Bytes + _sincePrune.Bytes + (long)(_pruned.Length + _prunedStart.Length + _prunedEnd.Length) * sizeof(int) + _work switch
    {
        Work<float> w => w.Bytes,
        Work<double> w => w.Bytes,
        _ => 0,
    };

    /// <summary>Forgets the neighbour list, so the next use rebuilds it from the current positions.</summary>
    public void InvalidateNeighbours()
    {
        Neighbours.Invalidate();
        _sincePrune.Invalidate();
    }

    public ForceResult Compute(State state)
    {
        Update(state);
        return Precision == Precision.Float ? Run<float>(state, energy: true).Result : Run<double>(state, energy: true).Result;
    }

    /// <summary>The forces alone, from kernels that skip the energy and virial; bit for bit the forces of <see cref="Compute"/>.</summary>
    public bool ComputeForces(State state)
    {
        Update(state);
        return Precision == Precision.Float ? Run<float>(state, energy: false).FiniteForces : Run<double>(state, energy: false).FiniteForces;
    }

    /// <summary>Rebuilds the full list when stale, and decides whether this step prunes, evaluates from the pruned list, or neither.</summary>
    private void Update(State state)
    {
        if (Neighbours.NeedsRebuild(state))
        {
            Neighbours.Build(state, Threads);
            BalanceParts();
            _sincePrune.Invalidate();
        }
        // Positions unchanged since the prune (the energy asked for after a forces-only step, say) are evaluated again
        // from the full list, so that the result does not depend on how often a step's positions are evaluated.
        var moved = PruneBuffer > 0 ? _sincePrune.LargestMove2(state) : 0;
        _pruneNow = PruneBuffer > 0 && (moved <= 0 || moved > 0.25 * PruneBuffer * PruneBuffer);
        _fromPruned = PruneBuffer > 0 && !_pruneNow;
        if (!_pruneNow) return;
        // Each part writes from its full-list offset plus one vector of slack per part before it, so that no part's
        // whole-vector over-store reaches the next part's entries.
        var length = Neighbours.EntryCount + 8 * (_parts + 1);
        if (_pruned.Length < length) _pruned = new int[length + length / 8];
        if (_prunedStart.Length != Neighbours.ParticleCount)
        {
            _prunedStart = new int[Neighbours.ParticleCount];
            _prunedEnd = new int[Neighbours.ParticleCount];
        }
        _sincePrune.Remember(state);
        Prunes++;
    }

    /// <summary>Splits the particle slots into parts of about equal list lengths; one part when no thread would run them in parallel.</summary>
    private void BalanceParts()
    {
        var starts = Neighbours.NeighbourStart;
        var n = Neighbours.ParticleCount;
        // Every thread count runs a short list in one thread, so one part keeps them in agreement, and saves the
        // second part's image fold and sum (256 atoms in float: 6 % of an evaluation).
        _parts = Neighbours.EntryCount < ParallelEntries ? 1 : _maxParts;
        var i = 0;
        for (var p = 0; p < _parts; p++)
        {
            _partStart[p] = i;
            var target = (long)Neighbours.EntryCount * (p + 1) / _parts;
            while (i < n && starts[i + 1] <= target) i++;
        }
        _partStart[_parts] = n;
    }

    /// <summary>The kernel's working arrays in precision T: packed positions and one packed force buffer per part.</summary>
    private sealed class Work<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public AlignedBuffer<T> Packed = new(0);
        public AlignedBuffer<T>[] Forces = [];
        public int Builds = -1;
        public double[] Energy = [], Virial = [];
        public T[] Cut2 = [], Shift = [];

        /// <summary>The potentials' lane constants, broadcast to the path's width (<see cref="HalfListInput{T, TPotential}.Constants"/>).</summary>
        public AlignedBuffer<T> Constants = new(0);

        /// <summary>The 27 image shifts as packed (x, y, z, 0), indexed as in <see cref="HalfVerletList.ShiftOf"/>, for the box <see cref="ShiftBox"/>.</summary>
        public T[] ImageShift = new T[4 * 27];
        public Box ShiftBox;

        /// <summary>Whether every force buffer is zero: true between evaluations, false only after one that stopped half way (an exception).</summary>
        public bool Cleared = true;

        /// <summary>Per particle (state order): the offset of its packed quadruple (4 × slot), and its type as the w component.</summary>
        public uint[] Offset = [];
        public T[] Type = [];

        public long Bytes => (long)Unsafe.SizeOf<T>() * (Packed.Length + Forces.Sum(f => (long)f.Length) + Type.Length) + (long)sizeof(uint) * Offset.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe (ForceResult Result, bool FiniteForces) Run<T>(State state, bool energy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = Neighbours;
        var work = _work as Work<T> ?? new Work<T>();
        _work = work;
        if (work.Builds != list.Builds) Prepare(work);
        // An evaluation leaves the force buffers zeroed (RunPart and SumParts clear what the kernel wrote), so only one
        // that stopped half way needs them cleared.
        if (!work.Cleared)
        {
            foreach (var f in work.Forces) f.Span.Clear();
        }
        work.Cleared = false;
        Refresh(state, work);

        var pairs = Table.Potentials.Length;
        if (work.Cut2.Length != pairs) { work.Cut2 = new T[pairs]; work.Shift = new T[pairs]; }
        // Refilled every call: the parameters (and with them the shifts) change between training windows.
        for (var p = 0; p < pairs; p++)
        {
            work.Cut2[p] = T.CreateTruncating(Table.Cutoffs[p] * Table.Cutoffs[p]);
            work.Shift[p] = T.CreateTruncating(Table.Shifts[p]);
        }
        PrepareConstants(work);

        fixed (int* neighbours = list.Neighbours, start = list.NeighbourStart, slotType = list.SlotType)
        fixed (int* pruned = _pruned, prunedStart = _prunedStart, prunedEnd = _prunedEnd)
        {
            var range = MaxCutoff + PruneBuffer;
            var input = new HalfListInput<T, TPotential>
            {
                Packed = work.Packed.Pointer,
                Neighbours = (uint*)(_fromPruned ? pruned : neighbours),
                NeighbourStart = _fromPruned ? prunedStart : start,
                NeighbourEnd = _fromPruned ? prunedEnd : start + 1,
                SlotType = slotType,
                Pruned = _pruneNow ? (uint*)pruned : null,
                PrunedStart = prunedStart,
                PrunedEnd = prunedEnd,
                // Float coordinates: widened by a relative 1e-5, as the list build's range, so rounding never prunes a pair inside it.
                Prune2 = T.CreateTruncating(range * range * (1 + 1e-5)),
                Dummy = (uint)(4 * list.DummySlot),
                TypeCount = Table.TypeCount,
                Potentials = Table.Potentials,
                Cutoff2 = work.Cut2,
                Shift = work.Shift,
                Constants = work.Constants.Pointer,
            };
            if (Threads == 1 || list.EntryCount < ParallelEntries)
            {
                for (var p = 0; p < _parts; p++) RunPart(input, work, p, energy);
            }
            else
            {
                RunParts(input, work, energy);
            }
        }

        var finite = SumParts(state, work);
        work.Cleared = true;
        double u = 0, virial = 0;
        for (var p = 0; p < _parts; p++) { u += work.Energy[p]; virial += work.Virial[p]; }
        return (new ForceResult(u, virial), finite);
    }

    /// <summary>
    /// The particles' forces: their slots' part sums in double, in part order (the same result for any thread count);
    /// returns whether every force is finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe bool SumParts<T>(State state, Work<T> work) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var forces = work.Forces;
        var n = state.Count;
        // The sum of all forces is finite exactly when every force is: the divergence check of steps without energy.
        var total = Vector256<double>.Zero;
        var a = 0;
        fixed (double* fxs = state.Fx, fys = state.Fy, fzs = state.Fz)
        fixed (uint* offset = work.Offset)
        {
            // Each part's slot is zeroed once read, so that the buffers start the next evaluation cleared without a pass
            // of their own (RunPart zeroes the images and the dummy).
            if (n >= SlotOrderParticles)
            {
                var order = Neighbours.Order;
                for (var s = 0; s < n; s++)
                {
                    var f = TakeSlot(forces, (uint)(4 * s));
                    var i = order[s];
                    fxs[i] = f[0]; fys[i] = f[1]; fzs[i] = f[2];
                    total += f;
                }
                return double.IsFinite(Vector256.Sum(total));
            }
            for (; a + 4 <= n; a += 4)
            {
                var j = offset + a;
                TakeFour(forces[0].Pointer, j, out var fx, out var fy, out var fz);
                for (var p = 1; p < _parts; p++)
                {
                    TakeFour(forces[p].Pointer, j, out var gx, out var gy, out var gz);
                    fx += gx; fy += gy; fz += gz;
                }
                fx.Store(fxs + a); fy.Store(fys + a); fz.Store(fzs + a);
                total += fx + fy + fz;
            }
            for (; a < n; a++)
            {
                var f = TakeSlot(forces, offset[a]);
                fxs[a] = f[0]; fys[a] = f[1]; fzs[a] = f[2];
                total += f;
            }
        }
        return double.IsFinite(Vector256.Sum(total));
    }

    /// <summary>One part's forces on the four packed slots at offsets j[0..4) (4 × slot), in double, the slots zeroed once read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void TakeFour<T>(T* forces, uint* j, out Vector256<double> x, out Vector256<double> y, out Vector256<double> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Xyzw.GatherDouble(forces, j, out x, out y, out z);
        Xyzw.Clear(forces + j[0]); Xyzw.Clear(forces + j[1]); Xyzw.Clear(forces + j[2]); Xyzw.Clear(forces + j[3]);
    }

    /// <summary>The part sum, in part order, of the packed slot at <paramref name="offset"/> (4 × slot), each part's slot zeroed once read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe Vector256<double> TakeSlot<T>(AlignedBuffer<T>[] forces, uint offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = Xyzw.ToDouble(forces[0].Pointer + offset);
        Xyzw.Clear(forces[0].Pointer + offset);
        for (var p = 1; p < _parts; p++)
        {
            f += Xyzw.ToDouble(forces[p].Pointer + offset);
            Xyzw.Clear(forces[p].Pointer + offset);
        }
        return f;
    }

    /// <summary>The parts on the thread pool; a method of its own, so that the closure is allocated only here, not on every call.</summary>
    private void RunParts<T>(HalfListInput<T, TPotential> input, Work<T> work, bool energy) where T : unmanaged, IFloatingPointIeee754<T>
        => Parallel.For(0, _parts, _parallel, p => RunPart(input, work, p, energy));

    /// <summary>Each type pair's lane constants, broadcast to the kernel path's width, once per call (the parameters may have changed).</summary>
    private void PrepareConstants<T>(Work<T> work) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = TPotential.LaneConstantCount;
        // None (hand-written potentials): the kernels call the plain Evaluate, and the default LaneConstants would box.
        if (count == 0) return;
        var width = _path switch
        {
            KernelPath.Vector512 => Vector512<T>.Count,
            KernelPath.Vector256 => Vector256<T>.Count,
            _ => 1,
        };
        var potentials = Table.Potentials;
        var length = potentials.Length * count * width;
        if (work.Constants.Length < length) work.Constants = new AlignedBuffer<T>(length);
        Span<T> scalars = stackalloc T[count];
        var constants = work.Constants.Span;
        for (var p = 0; p < potentials.Length; p++)
        {
            potentials[p].LaneConstants(scalars);
            for (var c = 0; c < count; c++) constants.Slice((p * count + c) * width, width).Fill(scalars[c]);
        }
    }

    /// <summary>After a list build: buffers for its slot count (all zero), the types in the w components, the dummy's position.</summary>
    private void Prepare<T>(Work<T> work) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = Neighbours;
        var length = 4 * list.SlotCount;
        if (work.Packed.Length < length)
        {
            length += length / 8;
            work.Packed = new AlignedBuffer<T>(length);
            work.Forces = new AlignedBuffer<T>[_maxParts];
            for (var p = 0; p < _maxParts; p++) work.Forces[p] = new AlignedBuffer<T>(length);
            work.Energy = new double[_maxParts];
            work.Virial = new double[_maxParts];
        }
        // The state-order copies' offsets and types (small systems only).
        var order = list.Order;
        var n = order.Length < SlotOrderParticles ? order.Length : 0;
        if (work.Offset.Length != n) { work.Offset = new uint[n]; work.Type = new T[n]; }
        for (var s = 0; s < n; s++)
        {
            work.Offset[order[s]] = (uint)(4 * s);
            work.Type[order[s]] = T.CreateTruncating(list.SlotType[s]);
        }
        var packed = work.Packed.Span;
        for (var s = 0; s < list.SlotCount; s++) packed[4 * s + 3] = T.CreateTruncating(list.SlotType[s]);
        var d = list.DummySlot;
        packed[4 * d] = packed[4 * d + 1] = packed[4 * d + 2] = T.CreateTruncating(list.DummyPosition);
        work.Builds = list.Builds;
    }

    /// <summary>The particles' current positions into their slots, and the images' from their sources.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Refresh<T>(State state, Work<T> work) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = Neighbours;
        var packed = work.Packed.Pointer;
        var n = state.Count;
        var width = Vector256<T>.Count;
        fixed (double* x = state.X, y = state.Y, z = state.Z)
        fixed (uint* offset = work.Offset)
        fixed (T* type = work.Type)
        {
            if (n >= SlotOrderParticles)
            {
                var order = list.Order;
                for (var s = 0; s < n; s++)
                {
                    var a = order[s];
                    packed[4 * s] = T.CreateTruncating(x[a]);
                    packed[4 * s + 1] = T.CreateTruncating(y[a]);
                    packed[4 * s + 2] = T.CreateTruncating(z[a]);
                }
            }
            else
            {
                // A vector of particles at a time (contiguous loads), transposed into quadruples and stored to their
                // slots, the type rewritten as w with them.
                var a = 0;
                for (; a + width <= n; a += width)
                    Xyzw.Scatter(packed, offset + a, Xyzw.FromDouble<T>(x + a), Xyzw.FromDouble<T>(y + a), Xyzw.FromDouble<T>(z + a), Vector256.Load(type + a));
                for (; a < n; a++)
                {
                    var q = packed + offset[a];
                    q[0] = T.CreateTruncating(x[a]); q[1] = T.CreateTruncating(y[a]); q[2] = T.CreateTruncating(z[a]); q[3] = type[a];
                }
            }
        }
        var box = state.Box;
        var shift = work.ImageShift;
        if (work.ShiftBox != box)
        {
            for (var k = 0; k < 27; k++)
            {
                var (sx, sy, sz) = HalfVerletList.ShiftOf(k);
                shift[4 * k] = T.CreateTruncating(sx * box.Lx);
                shift[4 * k + 1] = T.CreateTruncating(sy * box.Ly);
                shift[4 * k + 2] = T.CreateTruncating(sz * box.Lz);
            }
            work.ShiftBox = box;
        }
        // A run's images are its sources' quadruples plus one shift: a vector at a time (2 quadruples in float, 1 in
        // double), then an odd quadruple.
        var runs = list.ImageRuns;
        fixed (T* shifts = shift)
        {
            var image = packed + 4 * n;
            for (var r = 0; r < list.ImageRunCount; r++)
            {
                var (source, count, shiftOf) = runs[r];
                var from = packed + 4 * source;
                var by = Xyzw.Broadcast(shifts + 4 * shiftOf);
                var k = 0;
                for (; k + width <= 4 * count; k += width) (Vector256.Load(from + k) + by).Store(image + k);
                if (k < 4 * count) Xyzw.Sum(image + k, from + k, shifts + 4 * shiftOf);
                image += 4 * count;
            }
        }
    }

    /// <summary>
    /// One part: run the kernel over its particle slots into its buffer (zero on entry), fold the images' forces into
    /// their sources and zero the images and the dummy, leaving the particles' slots for <see cref="SumParts{T}"/> to read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void RunPart<T>(in HalfListInput<T, TPotential> input, Work<T> work, int p, bool energy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = Neighbours;
        var f = work.Forces[p].Pointer;
        int i0 = _partStart[p], i1 = _partStart[p + 1];
        var part = input.Pruned == null ? input : input with { PrunedFrom = list.NeighbourStart[i0] + 8 * p };
        var (e, w) = _path switch
        {
            KernelPath.Vector512 => HalfListKernel<T, TPotential>.Vector512Path(part, f, i0, i1, energy),
            KernelPath.Vector256 => HalfListKernel<T, TPotential>.Vector256Path(part, f, i0, i1, energy),
            _ => HalfListKernel<T, TPotential>.Scalar(part, f, i0, i1, energy),
        };
        work.Energy[p] = e;
        work.Virial[p] = w;
        // As the images were filled: a vector at a time, then an odd quadruple.
        var runs = list.ImageRuns;
        var image = f + 4 * list.ParticleCount;
        var width = Vector256<T>.Count;
        for (var r = 0; r < list.ImageRunCount; r++)
        {
            var (source, count, _) = runs[r];
            var to = f + 4 * source;
            var k = 0;
            for (; k + width <= 4 * count; k += width)
            {
                (Vector256.Load(to + k) + Vector256.Load(image + k)).Store(to + k);
                Vector256<T>.Zero.Store(image + k);
            }
            if (k < 4 * count) Xyzw.Move(to + k, image + k);
            image += 4 * count;
        }
        Xyzw.Clear(f + 4 * list.DummySlot);
    }
}
