using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Neighbours;
using DiffSim.Potentials;

namespace DiffSim.Forces;

/// <summary>Everything a half-list kernel range needs, in the kernel's precision T, in slot order. Pointers are pinned by the owner.</summary>
internal readonly unsafe struct HalfListInput<T, TPotential>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TPotential : struct, IPairPotential<TPotential>
{
    /// <summary>Positions packed (x, y, z, type) per slot of the <see cref="HalfVerletList"/>: particles, images, dummy.</summary>
    public required T* Packed { get; init; }

    /// <summary>Partners as offsets into <see cref="Packed"/> (4 × slot), see <see cref="HalfVerletList.Neighbours"/>.</summary>
    public required uint* Neighbours { get; init; }

    /// <summary>Slot i's partners are <c>Neighbours[NeighbourStart[i]..NeighbourEnd[i]]</c>, a whole number of vectors; within a part, each list ends where the next begins.</summary>
    public required int* NeighbourStart { get; init; }
    public required int* NeighbourEnd { get; init; }
    public required int* SlotType { get; init; }
    public required int TypeCount { get; init; }
    public required TPotential[] Potentials { get; init; }

    /// <summary>
    /// Each type pair's lane constants (<see cref="IPairPotential{TSelf}.LaneConstantCount"/> of them), each broadcast to
    /// the path's width (1 for the scalar path): pair p's first at p × count × width.
    /// </summary>
    public required T* Constants { get; init; }
    public required T[] Cutoff2 { get; init; }
    public required T[] Shift { get; init; }

    /// <summary>
    /// Where a pruning kernel writes, from <see cref="PrunedFrom"/> on, each slot's partners with r² &lt;
    /// <see cref="Prune2"/> in list order, padded like the list with <see cref="Dummy"/>, and their ranges into
    /// <see cref="PrunedStart"/> and <see cref="PrunedEnd"/> (null when not pruning). The vector paths store whole
    /// vectors, so up to 8 entries past the last are overwritten.
    /// </summary>
    public uint* Pruned { get; init; }
    public int PrunedFrom { get; init; }
    public int* PrunedStart { get; init; }
    public int* PrunedEnd { get; init; }
    public T Prune2 { get; init; }
    public uint Dummy { get; init; }
}

/// <summary>
/// The pair-force driver over a <see cref="HalfVerletList"/>: for each particle slot i and each listed partner j,
/// F_i −= φ(r²) d and F_j += φ(r²) d with d = r_j − r_i and φ = −u'(r)/r; when asked (<see cref="IEnergyMode"/>), the
/// energy Σ u − u_shift and the virial Σ φ r² are summed once per pair. Forces go into a packed (x, y, z, w) buffer
/// per slot, images included; the owner folds the images' forces into their particles.
/// </summary>
/// <remarks>
/// The SIMD paths take the partners W at a time (8 float or 4 double per 256-bit vector): gather their packed
/// positions and transpose them in registers (<see cref="Xyzw"/>), evaluate W pairs, keep the i-force in registers
/// and scatter the j-forces back by the inverse transpose. Every list is padded to a multiple of W with the far-away
/// dummy slot, so there is no remainder loop: lanes at or beyond the cutoff (padding included) get r² = r_c² before
/// evaluation, so that no potential (a table, say) sees r outside its range, and are masked out after. With several
/// types, each chunk is evaluated once per type, masked to the lanes of that type (the w component).
/// The paths are compiled fully optimised at their first call (<c>AggressiveOptimization</c>): a call is one long
/// loop, so tiered compilation would run it as Tier0 and then on-stack-replacement code, which keeps r_i and the
/// sums in the frame, for the first 30 or so calls, that is all of a short run (8.3 against 7.4 ms a force
/// evaluation on in.lj in float).
/// </remarks>
[SkipLocalsInit]
internal static unsafe partial class HalfListKernel<T, TPotential>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TPotential : struct, IPairPotential<TPotential>
{
    /// <summary>A SIMD path's kernel, which the JIT compiles once for each combination of the compile-time modes.</summary>
    private interface IVectorKernel
    {
        static abstract (double Energy, double Virial) Run<TTypes, TEnergy, TPrune>(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1)
            where TTypes : struct, ITypeMode
            where TEnergy : struct, IEnergyMode
            where TPrune : struct, IPruneMode;
    }

    /// <summary>The specialisation of <typeparamref name="TKernel"/> for this call's modes: forces, and with <paramref name="energy"/> the energy and virial (else zeros).</summary>
    private static (double Energy, double Virial) Specialised<TKernel>(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1, bool energy)
        where TKernel : struct, IVectorKernel
        => (k.TypeCount == 1, energy, k.Pruned != null) switch
        {
            (true, true, true) => TKernel.Run<OneType, WithEnergy, Pruning>(k, forces, i0, i1),
            (true, true, false) => TKernel.Run<OneType, WithEnergy, NoPruning>(k, forces, i0, i1),
            (true, false, true) => TKernel.Run<OneType, ForcesOnly, Pruning>(k, forces, i0, i1),
            (true, false, false) => TKernel.Run<OneType, ForcesOnly, NoPruning>(k, forces, i0, i1),
            (false, true, true) => TKernel.Run<ManyTypes, WithEnergy, Pruning>(k, forces, i0, i1),
            (false, true, false) => TKernel.Run<ManyTypes, WithEnergy, NoPruning>(k, forces, i0, i1),
            (false, false, true) => TKernel.Run<ManyTypes, ForcesOnly, Pruning>(k, forces, i0, i1),
            (false, false, false) => TKernel.Run<ManyTypes, ForcesOnly, NoPruning>(k, forces, i0, i1),
        };

    /// <summary>The reference path: one pair at a time over the same list. Forces, and with <paramref name="energy"/> the energy and virial (else zeros).</summary>
    public static (double Energy, double Virial) Scalar(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1, bool energy)
        => (energy, k.Pruned != null) switch
        {
            (true, true) => Scalar<WithEnergy, Pruning>(k, forces, i0, i1),
            (true, false) => Scalar<WithEnergy, NoPruning>(k, forces, i0, i1),
            (false, true) => Scalar<ForcesOnly, Pruning>(k, forces, i0, i1),
            (false, false) => Scalar<ForcesOnly, NoPruning>(k, forces, i0, i1),
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Energy, double Virial) Scalar<TEnergy, TPrune>(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1)
        where TEnergy : struct, IEnergyMode
        where TPrune : struct, IPruneMode
    {
        var nt = k.TypeCount;
        T* packed = k.Packed;
        var neighbours = k.Neighbours;
        int* start = k.NeighbourStart, end = k.NeighbourEnd, slotType = k.SlotType;
        var pruned = k.Pruned + k.PrunedFrom;
        double energy = 0, virial = 0;
        for (var i = i0; i < i1; i++)
        {
            T xi = packed[4 * i], yi = packed[4 * i + 1], zi = packed[4 * i + 2];
            T fx = T.Zero, fy = T.Zero, fz = T.Zero, eu = T.Zero, w = T.Zero;
            var row = slotType[i] * nt;
            if (TPrune.Prune) k.PrunedStart[i] = (int)(pruned - k.Pruned);
            for (var n = start[i]; n < end[i]; n++)
            {
                var j = neighbours[n];
                var p = row + slotType[j / 4];
                var dx = xi - packed[j];
                var dy = yi - packed[j + 1];
                var dz = zi - packed[j + 2];
                var r2 = dx * dx + dy * dy + dz * dz;
                if (TPrune.Prune && r2 < k.Prune2) *pruned++ = j;
                if (r2 >= k.Cutoff2[p]) continue;
                Evaluate(ref k.Potentials[p], r2, in k.Constants[p * TPotential.LaneConstantCount], out var u, out var phi);
                fx += phi * dx; fy += phi * dy; fz += phi * dz;
                forces[j] -= phi * dx; forces[j + 1] -= phi * dy; forces[j + 2] -= phi * dz;
                if (TEnergy.Energy)
                {
                    eu += u - k.Shift[p];
                    w += phi * r2;
                }
            }
            if (TPrune.Prune) k.PrunedEnd[i] = (int)(pruned - k.Pruned);
            forces[4 * i] += fx; forces[4 * i + 1] += fy; forces[4 * i + 2] += fz;
            if (TEnergy.Energy)
            {
                energy += double.CreateTruncating(eu);
                virial += double.CreateTruncating(w);
            }
        }
        return (energy, virial);
    }

    /// <summary>Ends slot i's pruned list, begun at <paramref name="kept"/>: pads it to a whole vector and records its range; returns the next free position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint* EndPruned(in HalfListInput<T, TPotential> k, int i, uint* kept, uint* pruned, int width)
    {
        pruned = PruneStore.Pad(pruned, (int)(pruned - kept), width, k.Dummy);
        k.PrunedStart[i] = (int)(kept - k.Pruned);
        k.PrunedEnd[i] = (int)(pruned - k.Pruned);
        return pruned;
    }

    // u and φ through the prepared form where the potential has lane constants, else through the plain form: a
    // potential without them (hand-written) gets the interface's default prepared members, which box the struct on
    // every call.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Evaluate(ref TPotential potential, T r2, ref readonly T constants, out T u, out T phi)
    {
        if (TPotential.LaneConstantCount == 0) potential.Evaluate(r2, out u, out phi);
        else potential.Evaluate(r2, in constants, out u, out phi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Evaluate(ref TPotential potential, Vector256<T> r2, ref readonly Vector256<T> constants, out Vector256<T> u, out Vector256<T> phi)
    {
        if (TPotential.LaneConstantCount == 0) potential.Evaluate(r2, out u, out phi);
        else potential.Evaluate(r2, in constants, out u, out phi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Evaluate(ref TPotential potential, Vector512<T> r2, ref readonly Vector512<T> constants, out Vector512<T> u, out Vector512<T> phi)
    {
        if (TPotential.LaneConstantCount == 0) potential.Evaluate(r2, out u, out phi);
        else potential.Evaluate(r2, in constants, out u, out phi);
    }

    /// <summary>Adds a particle's lane sums (energy or virial, precision T) to a double accumulator: float lanes are widened first, so long sums keep double precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Accumulate(Vector256<double> total, Vector256<T> v)
    {
        if (typeof(T) == typeof(float)) return total + Vector256.WidenLower(v.AsSingle()) + Vector256.WidenUpper(v.AsSingle());
        return total + v.AsDouble();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Accumulate(Vector512<double> total, Vector512<T> v)
    {
        if (typeof(T) == typeof(float)) return total + Vector512.WidenLower(v.AsSingle()) + Vector512.WidenUpper(v.AsSingle());
        return total + v.AsDouble();
    }

    /// <summary>a·b + c, fused where the processor has FMA (the runtime's MultiplyAddEstimate is not generic over T).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector512.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }
}
