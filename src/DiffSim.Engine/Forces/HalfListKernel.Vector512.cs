using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffSim.Forces;

internal static unsafe partial class HalfListKernel<T, TPotential>
{
    /// <summary>Forces, and with <paramref name="energy"/> the energy and virial (else zeros).</summary>
    public static (double Energy, double Virial) Vector512Path(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1, bool energy)
        => Specialised<Vector512Kernel>(k, forces, i0, i1, energy);

    private readonly struct Vector512Kernel : IVectorKernel
    {
        public static (double Energy, double Virial) Run<TTypes, TEnergy, TPrune>(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1)
            where TTypes : struct, ITypeMode
            where TEnergy : struct, IEnergyMode
            where TPrune : struct, IPruneMode
            => Vector512Path<TTypes, TEnergy, TPrune>(k, forces, i0, i1);
    }

    /// <summary>
    /// The same as <see cref="Vector256Path{TTypes, TEnergy, TPrune}"/>, 512 bits wide (in software where the processor lacks
    /// AVX-512), but gathering each vector in its own iteration: the pipelined gather's four extra live vectors were
    /// slower in software, and no AVX-512 machine was at hand to measure them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Energy, double Virial) Vector512Path<TTypes, TEnergy, TPrune>(in HalfListInput<T, TPotential> k, T* forces, int i0, int i1)
        where TTypes : struct, ITypeMode
        where TEnergy : struct, IEnergyMode
        where TPrune : struct, IPruneMode
    {
        var width = Vector512<T>.Count;
        var nt = k.TypeCount;
        T* packed = k.Packed;
        var neighbours = k.Neighbours;
        int* start = k.NeighbourStart, end = k.NeighbourEnd, slotType = k.SlotType;
        T[] cut2 = k.Cutoff2, cutShift = k.Shift;
        var potentials = k.Potentials;
        // One type: the parameters are loop invariants.
        var pot = potentials[0];
        var rc2 = Vector512.Create(cut2[0]);
        var constants = (Vector512<T>*)k.Constants;
        var count = TPotential.LaneConstantCount;
        Vector512<double> energy = default, virial = default;
        double shifted = 0;
        var prune2 = Vector512.Create(k.Prune2);
        var pruned = k.Pruned + k.PrunedFrom;
        for (var i = i0; i < i1; i++)
        {
            var xi = Vector512.Create(packed[4 * i]);
            var yi = Vector512.Create(packed[4 * i + 1]);
            var zi = Vector512.Create(packed[4 * i + 2]);
            Vector512<T> fx = default, fy = default, fz = default, eu = default, w = default;
            var pairs = 0;
            var row = slotType[i] * nt;
            var kept = pruned;
            // Lists are a whole number of vectors: no remainder.
            for (var n = start[i]; n < end[i]; n += width)
            {
                var j = neighbours + n;
                Xyzw.Gather(packed, j, out Vector512<T> xj, out Vector512<T> yj, out Vector512<T> zj, out Vector512<T> tj);
                var dx = xj - xi;
                var dy = yj - yi;
                var dz = zj - zi;
                // Products then sums, not fused: on the critical path from the gather to the scatter, two additions
                // (3 cycles each on Zen 1) are shorter than two chained fused multiply-adds (5 each), and that latency
                // is what bounds the loop (measured: −5 % double, −2 % float on in.lj).
                var r2 = dx * dx + dy * dy + dz * dz;
                if (TPrune.Prune) pruned = PruneStore.Store(pruned, j, (uint)Vector512.LessThan(r2, prune2).ExtractMostSignificantBits(), width);
                Vector512<T> phi;
                if (TTypes.Many)
                {
                    phi = default;
                    for (var t = 0; t < nt; t++)
                    {
                        var p = row + t;
                        var c2 = Vector512.Create(cut2[p]);
                        var live = Vector512.LessThan(r2, c2) & Vector512.Equals(tj, Vector512.Create(T.CreateTruncating(t)));
                        if (live.ExtractMostSignificantBits() == 0) continue;
                        Evaluate(ref potentials[p], Vector512.ConditionalSelect(live, r2, c2), in constants[p * count], out var u, out var phiT);
                        phi |= phiT & live;
                        if (TEnergy.Energy) eu += live & (u - Vector512.Create(cutShift[p]));
                    }
                }
                else
                {
                    // The shift is paid once per particle, as (pairs within the cutoff) × u(r_c). Clamping r² at r_c² by a
                    // minimum, rather than selecting by the mask, takes the comparison off the path to the division.
                    var live = Vector512.LessThan(r2, rc2);
                    Evaluate(ref pot, Vector512.MinNative(r2, rc2), in *constants, out var u, out var phiAll);
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
                Xyzw.Add(forces, j, tx, ty, tz);
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
        return (Vector512.Sum(energy) - shifted * double.CreateTruncating(cutShift[0]), Vector512.Sum(virial));
    }
}
