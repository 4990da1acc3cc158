using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Neighbours;
using DiffSim.Potentials;

namespace DiffSim.Forces;

/// <summary>Everything a cluster-pair kernel range needs, in the kernel's precision T, in slot order. Pointers are pinned by the owner.</summary>
internal readonly unsafe struct ClusterInput<T, TPotential>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TPotential : struct, IPairPotential<TPotential>
{
    public required T* X { get; init; }
    public required T* Y { get; init; }
    public required T* Z { get; init; }

    /// <summary>Type of each slot as a T, so that a vector compare yields a lane mask of the kernel's width.</summary>
    public required T* Type { get; init; }

    public required int* Entries { get; init; }
    public required int* EntryStart { get; init; }
    public required int* SlotType { get; init; }
    public required int* JClusterTypes { get; init; }
    public required int TypeCount { get; init; }
    public required TPotential[] Potentials { get; init; }
    public required T[] Cutoff2 { get; init; }
    public required T[] Shift { get; init; }

    /// <summary>The 27 image shifts (box lengths × −1, 0, 1), indexed as in <see cref="ClusterPairList.ShiftOf"/>.</summary>
    public required T[] ShiftX { get; init; }
    public required T[] ShiftY { get; init; }
    public required T[] ShiftZ { get; init; }
}

/// <summary>Force accumulators of one part of the work, in slot order and in precision T.</summary>
internal readonly unsafe struct ClusterForces<T> where T : unmanaged
{
    public required T* X { get; init; }
    public required T* Y { get; init; }
    public required T* Z { get; init; }
}

/// <summary>
/// The pair-force driver over a half <see cref="ClusterPairList"/>: for each i-cluster of 4 slots and each listed
/// j-cluster of M = vector-width slots, F_a += φ(r²) r_ab and F_b −= φ(r²) r_ab for every live pair, with
/// φ = −u'(r)/r; the energy Σ u − u_shift and the virial Σ φ r² are summed once per pair.
/// </summary>
/// <remarks>
/// One vector holds a whole j-cluster, loaded contiguously: no gathers. Each of the 4 i-rows is a broadcast;
/// the j-forces are loaded, updated by all 4 rows and stored once per entry. The image shift is added to the j-coordinates once per entry,
/// so no minimum-image rounding is needed. Lanes outside the cutoff (including ghosts, which sit far away) get
/// r² = r_c² before evaluation, so no potential sees r = 0, and are masked out after. Lanes of the diagonal entry
/// (the i-cluster inside the j-cluster) are masked to slots b &gt; a, so each pair counts once.
/// With more than one type, the rows are evaluated once per type present in the j-cluster, masked to its lanes,
/// so every evaluation uses one parameter set.
/// </remarks>
/// <summary>Whether a kernel instantiation handles one particle type or several.</summary>
internal interface ITypeMode
{
    static abstract bool Many { get; }
}

internal struct OneType : ITypeMode
{
    public static bool Many => false;
}

internal struct ManyTypes : ITypeMode
{
    public static bool Many => true;
}

[SkipLocalsInit]
internal static unsafe class ClusterPairKernel<T, TPotential>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TPotential : struct, IPairPotential<TPotential>
{
    private const int I = ClusterPairList.IClusterSize;

    /// <summary>The reference path: the same list with j-clusters of 4, lane by lane.</summary>
    public static (double Energy, double Virial) Scalar(in ClusterInput<T, TPotential> k, in ClusterForces<T> f, int ci0, int ci1)
    {
        const int m = 4;
        var nt = k.TypeCount;
        double energy = 0, virial = 0;
        for (var ci = ci0; ci < ci1; ci++)
        {
            for (var e = k.EntryStart[ci]; e < k.EntryStart[ci + 1]; e++)
            {
                var entry = k.Entries[e];
                var b0 = (entry >> ClusterPairList.ShiftBits) * m;
                var s = entry & ((1 << ClusterPairList.ShiftBits) - 1);
                T sx = k.ShiftX[s], sy = k.ShiftY[s], sz = k.ShiftZ[s];
                for (var a = ci * I; a < ci * I + I; a++)
                {
                    T xi = k.X[a], yi = k.Y[a], zi = k.Z[a];
                    T fx = T.Zero, fy = T.Zero, fz = T.Zero, eu = T.Zero, w = T.Zero;
                    for (var b = Math.Max(b0, a + 1); b < b0 + m; b++)
                    {
                        var p = k.SlotType[a] * nt + k.SlotType[b];
                        T rc2 = k.Cutoff2[p];
                        var dx = xi - (k.X[b] + sx);
                        var dy = yi - (k.Y[b] + sy);
                        var dz = zi - (k.Z[b] + sz);
                        var r2 = dx * dx + dy * dy + dz * dz;
                        if (r2 >= rc2) continue;
                        k.Potentials[p].Evaluate(r2, out var u, out var phi);
                        fx += phi * dx; fy += phi * dy; fz += phi * dz;
                        f.X[b] -= phi * dx; f.Y[b] -= phi * dy; f.Z[b] -= phi * dz;
                        eu += u - k.Shift[p];
                        w += phi * r2;
                    }
                    f.X[a] += fx; f.Y[a] += fy; f.Z[a] += fz;
                    energy += double.CreateTruncating(eu);
                    virial += double.CreateTruncating(w);
                }
            }
        }
        return (energy, virial);
    }

    public static (double Energy, double Virial) Vector256Path(in ClusterInput<T, TPotential> k, in ClusterForces<T> f, int ci0, int ci1)
        => k.TypeCount == 1 ? Vector256Path<OneType>(k, f, ci0, ci1) : Vector256Path<ManyTypes>(k, f, ci0, ci1);

    /// <summary>
    /// The driver for one or for many types, specialised by the JIT on <typeparamref name="TTypes"/>: with one type
    /// the parameters are loop invariants and the type loop vanishes.
    /// </summary>
    /// <remarks>
    /// The 4 rows' broadcast coordinates and force accumulators (24 vectors) live in a small stack block rather than
    /// in locals: with 16 AVX registers the JIT spilled every temporary of the unrolled rows when they were locals
    /// (231 stack references in the method, 25.7 ms for in.lj in float); as memory operands they leave the registers
    /// to the pair arithmetic (69 stack references, 22.4 ms).
    /// </remarks>
    private static (double Energy, double Virial) Vector256Path<TTypes>(in ClusterInput<T, TPotential> k, in ClusterForces<T> f, int ci0, int ci1)
        where TTypes : struct, ITypeMode
    {
        var m = Vector256<T>.Count;
        var lane = Vector256<T>.Indices;
        var nt = k.TypeCount;
        T* x = k.X, y = k.Y, z = k.Z, type = k.Type;
        T* fxs = f.X, fys = f.Y, fzs = f.Z;
        int* entries = k.Entries, entryStart = k.EntryStart, slotType = k.SlotType, jTypes = k.JClusterTypes;
        T[] shiftX = k.ShiftX, shiftY = k.ShiftY, shiftZ = k.ShiftZ, cut2 = k.Cutoff2, cutShift = k.Shift;
        var potentials = k.Potentials;
        // One type: the parameters are loop invariants.
        var pot = potentials[0];
        var rc2 = Vector256.Create(cut2[0]);
        var shift = Vector256.Create(cutShift[0]);
        // Per row r: xi, yi, zi at 3r..3r+2 of ri; fx, fy, fz at 3r..3r+2 of fi.
        var ri = stackalloc Vector256<T>[3 * I];
        var fi = stackalloc Vector256<T>[3 * I];
        var mask = stackalloc Vector256<T>[I];
        double energy = 0, virial = 0;
        for (var ci = ci0; ci < ci1; ci++)
        {
            int e0 = entryStart[ci], e1 = entryStart[ci + 1];
            if (e0 == e1) continue;
            var a = ci * I;
            for (var r = 0; r < I; r++)
            {
                ri[3 * r] = Vector256.Create(x[a + r]);
                ri[3 * r + 1] = Vector256.Create(y[a + r]);
                ri[3 * r + 2] = Vector256.Create(z[a + r]);
                fi[3 * r] = fi[3 * r + 1] = fi[3 * r + 2] = default;
            }
            Vector256<T> eu = default, w = default;
            for (var e = e0; e < e1; e++)
            {
                var entry = entries[e];
                var cj = entry >> ClusterPairList.ShiftBits;
                var s = entry & ((1 << ClusterPairList.ShiftBits) - 1);
                var b = cj * m;
                var xj = Vector256.Load(x + b) + Vector256.Create(shiftX[s]);
                var yj = Vector256.Load(y + b) + Vector256.Create(shiftY[s]);
                var zj = Vector256.Load(z + b) + Vector256.Create(shiftZ[s]);
                var fjx = Vector256.Load(fxs + b);
                var fjy = Vector256.Load(fys + b);
                var fjz = Vector256.Load(fzs + b);
                // Diagonal entry (the i-cluster inside the j-cluster): keep slot b + lane only above row a + r.
                var diagonal = cj == a / m;
                var rel = lane + Vector256.Create(T.CreateTruncating(b - a));
                for (var r = 0; r < I; r++)
                    mask[r] = diagonal ? Vector256.GreaterThan(rel, Vector256.Create(T.CreateTruncating(r))) : Vector256<T>.AllBitsSet;
                if (TTypes.Many)
                {
                    var typeJ = Vector256.Load(type + b);
                    for (var types = jTypes[cj]; types != 0; types &= types - 1)
                    {
                        var t = BitOperations.TrailingZeroCount(types);
                        var of = Vector256.Equals(typeJ, Vector256.Create(T.CreateTruncating(t)));
                        for (var r = 0; r < I; r++)
                        {
                            var p = slotType[a + r] * nt + t;
                            Row(potentials[p], Vector256.Create(cut2[p]), Vector256.Create(cutShift[p]), mask[r] & of, ri + 3 * r, xj, yj, zj, fi + 3 * r, ref fjx, ref fjy, ref fjz, ref eu, ref w);
                        }
                    }
                }
                else
                {
                    for (var r = 0; r < I; r++)
                        Row(pot, rc2, shift, mask[r], ri + 3 * r, xj, yj, zj, fi + 3 * r, ref fjx, ref fjy, ref fjz, ref eu, ref w);
                }
                fjx.Store(fxs + b);
                fjy.Store(fys + b);
                fjz.Store(fzs + b);
            }
            for (var r = 0; r < I; r++)
            {
                fxs[a + r] += Vector256.Sum(fi[3 * r]);
                fys[a + r] += Vector256.Sum(fi[3 * r + 1]);
                fzs[a + r] += Vector256.Sum(fi[3 * r + 2]);
            }
            energy += double.CreateTruncating(Vector256.Sum(eu));
            virial += double.CreateTruncating(Vector256.Sum(w));
        }
        return (energy, virial);
    }

    /// <summary>
    /// One i-row (coordinates at ri[0..3], force accumulators at fi[0..3]) against one j-cluster. The separation is
    /// d = r_j − r_i, so the i-coordinates are memory operands; F_i −= φ d and F_j += φ d.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(TPotential pot, Vector256<T> rc2, Vector256<T> shift, Vector256<T> mask, Vector256<T>* ri,
        Vector256<T> xj, Vector256<T> yj, Vector256<T> zj, Vector256<T>* fi,
        ref Vector256<T> fjx, ref Vector256<T> fjy, ref Vector256<T> fjz, ref Vector256<T> eu, ref Vector256<T> w)
    {
        var dx = xj - ri[0];
        var dy = yj - ri[1];
        var dz = zj - ri[2];
        var r2 = Fma(dx, dx, Fma(dy, dy, dz * dz));
        var live = Vector256.LessThan(r2, rc2) & mask;
        r2 = Vector256.ConditionalSelect(live, r2, rc2);
        pot.Evaluate(r2, out var u, out var phi);
        phi &= live;
        var tx = phi * dx;
        var ty = phi * dy;
        var tz = phi * dz;
        fi[0] -= tx; fi[1] -= ty; fi[2] -= tz;
        fjx += tx; fjy += ty; fjz += tz;
        eu += live & (u - shift);
        w = Fma(phi, r2, w);
    }

    public static (double Energy, double Virial) Vector512Path(in ClusterInput<T, TPotential> k, in ClusterForces<T> f, int ci0, int ci1)
        => k.TypeCount == 1 ? Vector512Path<OneType>(k, f, ci0, ci1) : Vector512Path<ManyTypes>(k, f, ci0, ci1);

    private static (double Energy, double Virial) Vector512Path<TTypes>(in ClusterInput<T, TPotential> k, in ClusterForces<T> f, int ci0, int ci1)
        where TTypes : struct, ITypeMode
    {
        var m = Vector512<T>.Count;
        var lane = Vector512<T>.Indices;
        var nt = k.TypeCount;
        T* x = k.X, y = k.Y, z = k.Z, type = k.Type;
        T* fxs = f.X, fys = f.Y, fzs = f.Z;
        int* entries = k.Entries, entryStart = k.EntryStart, slotType = k.SlotType, jTypes = k.JClusterTypes;
        T[] shiftX = k.ShiftX, shiftY = k.ShiftY, shiftZ = k.ShiftZ, cut2 = k.Cutoff2, cutShift = k.Shift;
        var potentials = k.Potentials;
        // One type: the parameters are loop invariants.
        var pot = potentials[0];
        var rc2 = Vector512.Create(cut2[0]);
        var shift = Vector512.Create(cutShift[0]);
        // Per row r: xi, yi, zi at 3r..3r+2 of ri; fx, fy, fz at 3r..3r+2 of fi.
        var ri = stackalloc Vector512<T>[3 * I];
        var fi = stackalloc Vector512<T>[3 * I];
        var mask = stackalloc Vector512<T>[I];
        double energy = 0, virial = 0;
        for (var ci = ci0; ci < ci1; ci++)
        {
            int e0 = entryStart[ci], e1 = entryStart[ci + 1];
            if (e0 == e1) continue;
            var a = ci * I;
            for (var r = 0; r < I; r++)
            {
                ri[3 * r] = Vector512.Create(x[a + r]);
                ri[3 * r + 1] = Vector512.Create(y[a + r]);
                ri[3 * r + 2] = Vector512.Create(z[a + r]);
                fi[3 * r] = fi[3 * r + 1] = fi[3 * r + 2] = default;
            }
            Vector512<T> eu = default, w = default;
            for (var e = e0; e < e1; e++)
            {
                var entry = entries[e];
                var cj = entry >> ClusterPairList.ShiftBits;
                var s = entry & ((1 << ClusterPairList.ShiftBits) - 1);
                var b = cj * m;
                var xj = Vector512.Load(x + b) + Vector512.Create(shiftX[s]);
                var yj = Vector512.Load(y + b) + Vector512.Create(shiftY[s]);
                var zj = Vector512.Load(z + b) + Vector512.Create(shiftZ[s]);
                var fjx = Vector512.Load(fxs + b);
                var fjy = Vector512.Load(fys + b);
                var fjz = Vector512.Load(fzs + b);
                // Diagonal entry (the i-cluster inside the j-cluster): keep slot b + lane only above row a + r.
                var diagonal = cj == a / m;
                var rel = lane + Vector512.Create(T.CreateTruncating(b - a));
                for (var r = 0; r < I; r++)
                    mask[r] = diagonal ? Vector512.GreaterThan(rel, Vector512.Create(T.CreateTruncating(r))) : Vector512<T>.AllBitsSet;
                if (TTypes.Many)
                {
                    var typeJ = Vector512.Load(type + b);
                    for (var types = jTypes[cj]; types != 0; types &= types - 1)
                    {
                        var t = BitOperations.TrailingZeroCount(types);
                        var of = Vector512.Equals(typeJ, Vector512.Create(T.CreateTruncating(t)));
                        for (var r = 0; r < I; r++)
                        {
                            var p = slotType[a + r] * nt + t;
                            Row(potentials[p], Vector512.Create(cut2[p]), Vector512.Create(cutShift[p]), mask[r] & of, ri + 3 * r, xj, yj, zj, fi + 3 * r, ref fjx, ref fjy, ref fjz, ref eu, ref w);
                        }
                    }
                }
                else
                {
                    for (var r = 0; r < I; r++)
                        Row(pot, rc2, shift, mask[r], ri + 3 * r, xj, yj, zj, fi + 3 * r, ref fjx, ref fjy, ref fjz, ref eu, ref w);
                }
                fjx.Store(fxs + b);
                fjy.Store(fys + b);
                fjz.Store(fzs + b);
            }
            for (var r = 0; r < I; r++)
            {
                fxs[a + r] += Vector512.Sum(fi[3 * r]);
                fys[a + r] += Vector512.Sum(fi[3 * r + 1]);
                fzs[a + r] += Vector512.Sum(fi[3 * r + 2]);
            }
            energy += double.CreateTruncating(Vector512.Sum(eu));
            virial += double.CreateTruncating(Vector512.Sum(w));
        }
        return (energy, virial);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(TPotential pot, Vector512<T> rc2, Vector512<T> shift, Vector512<T> mask, Vector512<T>* ri,
        Vector512<T> xj, Vector512<T> yj, Vector512<T> zj, Vector512<T>* fi,
        ref Vector512<T> fjx, ref Vector512<T> fjy, ref Vector512<T> fjz, ref Vector512<T> eu, ref Vector512<T> w)
    {
        var dx = xj - ri[0];
        var dy = yj - ri[1];
        var dz = zj - ri[2];
        var r2 = Fma(dx, dx, Fma(dy, dy, dz * dz));
        var live = Vector512.LessThan(r2, rc2) & mask;
        r2 = Vector512.ConditionalSelect(live, r2, rc2);
        pot.Evaluate(r2, out var u, out var phi);
        phi &= live;
        var tx = phi * dx;
        var ty = phi * dy;
        var tz = phi * dz;
        fi[0] -= tx; fi[1] -= ty; fi[2] -= tz;
        fjx += tx; fjy += ty; fjz += tz;
        eu += live & (u - shift);
        w = Fma(phi, r2, w);
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
