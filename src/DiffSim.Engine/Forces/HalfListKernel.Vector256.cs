using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffSim.Forces;

internal static unsafe partial class HalfListKernel<T, TPotential>
{
    /// <summary>Forces, and with <paramref name="energy"/> the energy and virial (else zeros).</summary>
    public static (double Energy, double Virial) Vector256Path(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1, bool energy)
        => Specialised<Vector256Kernel>(k, forces, i0, i1, energy);

    private readonly struct Vector256Kernel : IVectorKernel
    {
        public static (double Energy, double Virial) Run<TTypes, TEnergy, TPrune>(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1)
            where TTypes : struct, ITypeMode
            where TEnergy : struct, IEnergyMode
            where TPrune : struct, IPruneMode
            => Vector256Path<TTypes, TEnergy, TPrune>(k, forces, i0, i1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Energy, double Virial) Vector256Path<TTypes, TEnergy, TPrune>(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1)
        where TTypes : struct, ITypeMode
        where TEnergy : struct, IEnergyMode
        where TPrune : struct, IPruneMode
    {
        var width = Vector256<T>.Count;
        var nt = k.TypeCount;
        T* packed = k.Packed;
        var neighbours = k.Neighbours;
        int* start = k.NeighbourStart, end = k.NeighbourEnd, slotType = k.SlotType;
        T[] cut2 = k.Cutoff2, cutShift = k.Shift;
        var potentials = k.Potentials;
        // One type: the parameters are loop invariants.
        var pot = potentials[0];
        var rc2 = Vector256.Create(cut2[0]);
        var constants = (Vector256<T>*)k.Constants;
        var count = TPotential.LaneConstantCount;
        Vector256<double> energy = default, virial = default;
        double shifted = 0;
        var prune2 = Vector256.Create(k.Prune2);
        var pruned = k.Pruned + k.PrunedFrom;
        // Software pipelining: each vector's partners are gathered one iteration ahead, in list order across
        // particles, so that the gather is off the critical path; the part's last vector gathers itself again.
        var last = (i1 > i0 ? end[i1 - 1] : start[i0]) - width;
        Vector256<T> xn = default, yn = default, zn = default, tn = default;
        if (last >= start[i0]) Xyzw.Gather(packed, neighbours + start[i0], out xn, out yn, out zn, out tn);
        // And each vector's j-forces are scattered one iteration late, when they are ready, so that the scatter does
        // not wait in the scheduler behind the division (the first scatter adds zeros). The order of the additions to
        // every slot is unchanged: the results are the same bit for bit.
        var scatterTo = neighbours + start[i0];
        Vector256<T> sx = default, sy = default, sz = default;
        for (var i = i0; i < i1; i++)
        {
            var xi = Vector256.Create(packed[4 * i]);
            var yi = Vector256.Create(packed[4 * i + 1]);
            var zi = Vector256.Create(packed[4 * i + 2]);
            Vector256<T> fx = default, fy = default, fz = default, eu = default, w = default;
            var pairs = 0;
            var row = slotType[i] * nt;
            var kept = pruned;
            // Lists are a whole number of vectors: no remainder.
            for (var n = start[i]; n < end[i]; n += width)
            {
                var j = neighbours + n;
                var (xj, yj, zj, tj) = (xn, yn, zn, tn);
                Xyzw.Gather(packed, neighbours + (n < last ? n + width : n), out xn, out yn, out zn, out tn);
                var dx = xj - xi;
                var dy = yj - yi;
                var dz = zj - zi;
                // Products then sums, not fused: on the critical path from the gather to the scatter, two additions
                // (3 cycles each on Zen 1) are shorter than two chained fused multiply-adds (5 each), and that latency
                // is what bounds the loop (measured: −5 % double, −2 % float on in.lj).
                var r2 = dx * dx + dy * dy + dz * dz;
                if (TPrune.Prune) pruned = PruneStore.Store(pruned, j, Vector256.LessThan(r2, prune2).ExtractMostSignificantBits(), width);
                Vector256<T> phi;
                if (TTypes.Many)
                {
                    phi = default;
                    for (var t = 0; t < nt; t++)
                    {
                        var p = row + t;
                        var c2 = Vector256.Create(cut2[p]);
                        var live = Vector256.LessThan(r2, c2) & Vector256.Equals(tj, Vector256.Create(T.CreateTruncating(t)));
                        if (live.ExtractMostSignificantBits() == 0) continue;
                        Evaluate(ref potentials[p], Vector256.ConditionalSelect(live, r2, c2), in constants[p * count], out var u, out var phiT);
                        phi |= phiT & live;
                        if (TEnergy.Energy) eu += live & (u - Vector256.Create(cutShift[p]));
                    }
                }
                else
                {
                    // The shift is paid once per particle, as (pairs within the cutoff) × u(r_c). Clamping r² at r_c² by a
                    // minimum, rather than selecting by the mask, takes the comparison off the path to the division.
                    var live = Vector256.LessThan(r2, rc2);
                    Evaluate(ref pot, Vector256.MinNative(r2, rc2), in *constants, out var u, out var phiAll);
                    phi = phiAll & live;
                    if (TEnergy.Energy)
                    {
                        eu += live & u;
                        pairs += BitOperations.PopCount(live.ExtractMostSignificantBits());
                    }
                }
                if (TEnergy.Energy) w = Fma(phi, r2, w);
                // d = r_j − r_i: F_j += φ d, F_i −= φ d.
                var tx = phi * dx;
                var ty = phi * dy;
                var tz = phi * dz;
                fx += tx; fy += ty; fz += tz;
                if (TEnergy.Energy && typeof(T) == typeof(float))
                {
                    // The float energy's widened sums already fill the registers: holding a vector's forces over spills
                    // (measured on in.lj: 9.8-10.0 against 8.7-8.9 ms; in double the deferral still gains, 13.1 -> 12.4).
                    Xyzw.Add(forces, j, tx, ty, tz);
                    continue;
                }
                Xyzw.Add(forces, scatterTo, sx, sy, sz);
                scatterTo = j;
                (sx, sy, sz) = (tx, ty, tz);
            }
            Xyzw.SubtractSums(forces + 4 * i, fx, fy, fz);
            if (TPrune.Prune) pruned = EndPruned(k, i, kept, pruned, width);
            if (TEnergy.Energy)
            {
                energy = Accumulate(energy, eu);
                virial = Accumulate(virial, w);
                shifted += pairs;
            }
        }
        if (last >= start[i0]) Xyzw.Add(forces, scatterTo, sx, sy, sz);
        return (Vector256.Sum(energy) - shifted * double.CreateTruncating(cutShift[0]), Vector256.Sum(virial));
    }
}
