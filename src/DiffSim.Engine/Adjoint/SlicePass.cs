using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// What a reverse pair pass evaluates per pair: the analytic potentials' or the tables' φ and dφ/ds, and their
/// parameter terms, which the terms accumulate themselves. A struct, so that <see cref="SlicePass"/> is specialised for
/// each and no call is virtual.
/// </summary>
internal interface ISliceTerms<T> where T : unmanaged
{
    /// <summary>Whether a vector of partners none of which is inside the cutoff is skipped: worth its branch where the terms cost much (the tables').</summary>
    static abstract bool SkipsEmptyVectors { get; }

    /// <summary>Selects the type pair (index a·T + b) of the block to come; returns its squared cutoff.</summary>
    Vector256<T> Begin(int pair);

    /// <summary>
    /// For a vector of pairs at squared distances <paramref name="s"/> with d·u = <paramref name="du2"/>: φ and
    /// 2 (dφ/ds)(d·u), zero in the lanes not <paramref name="inside"/>, after adding the pairs' parameter terms.
    /// </summary>
    void Evaluate(Vector256<T> s, Vector256<T> du2, Vector256<T> inside, out Vector256<T> phi, out Vector256<T> c);

    /// <summary>Called after each slice (<paramref name="slice"/> of <paramref name="count"/>).</summary>
    void EndSlice(int slice, int count);
}

/// <summary>
/// The reverse pair passes over <see cref="PartnerSlices"/>, shared by the analytic and the tabulated fields: per pair
/// the force Jacobian's term φ u + 2 (dφ/ds)(d·u) d (d and u the differences of the partners' positions and w) goes to
/// one partner with its sign and to the other with the opposite one.
/// </summary>
/// <remarks>
/// Eight (float) or four (double) first partners i sit in the lanes, each running its own partners j, entry k of lane
/// l at width·k + l of its block; lanes past their particle's partners read the particle itself and are masked. The i
/// sums stay in the lanes until the slice ends; the j terms are scattered into the packed products
/// (<see cref="SinglePackedPairAdjoint"/>, <see cref="PackedPairAdjoint"/>).
/// </remarks>
internal static unsafe class SlicePass
{
    /// <summary>Single precision, d = x_j − x_i and u = w_j − w_i: the term added to j, subtracted from i.</summary>
    public static void Single<TTerms>(ref TTerms terms, PartnerSlices slices, SinglePackedPairAdjoint packed, Box box, int typeCount)
        where TTerms : struct, ISliceTerms<float>, allows ref struct
    {
        const int width = 8;
        var rows = packed.Rows;
        var products = packed.Products;
        var periodic = new SinglePeriodicLanes(box);
        var one = Vector256<float>.One;
        fixed (int* particles = slices.Particles, blockStart = slices.BlockStart, entries = slices.Entries, partners = slices.Counts)
        {
            // Each vector's terms are scattered one iteration late, when they are ready, so that the scatter does not
            // wait behind the chain from the gather through the potential (as in the forward kernel; 60 passes on the
            // paper's system 1.47-1.51 -> 1.43-1.46 ms). A slice's pending terms go before its own particles' sums:
            // every slot takes its additions in the same order, the same bits. Not done: gathering one iteration ahead
            // as well, as the forward kernel does (1.53 ms, the extra live vectors spill), and the late scatter in the
            // double pass (2.62-2.67 against 2.24-2.60 ms).
            var scatterTo = entries;
            Vector256<float> sx = default, sy = default, sz = default;
            for (var sl = 0; sl < slices.SliceCount; sl++)
            {
                var own = particles + sl * width;
                SinglePackedPairAdjoint.Gather(rows, own, out var xi, out var yi, out var zi, out var uxi, out var uyi, out var uzi);
                Vector256<float> kxi = default, kyi = default, kzi = default;
                for (var t = 0; t < typeCount; t++)
                {
                    var group = sl * typeCount + t;
                    var cut2 = terms.Begin(slices.SliceType[sl] * typeCount + t);
                    var counts = Vector256.ConvertToSingle(Vector256.Load(partners + group * width));
                    var step = Vector256<float>.Zero;
                    var end = blockStart[group + 1];
                    for (var q = blockStart[group]; q < end; q += width, step += one)
                    {
                        SinglePackedPairAdjoint.Gather(rows, entries + q, out var xj, out var yj, out var zj, out var uxj, out var uyj, out var uzj);
                        var s = periodic.Separation(xi, yi, zi, xj, yj, zj, out var dx, out var dy, out var dz);
                        var inside = Vector256.LessThan(s, cut2) & Vector256.LessThan(step, counts);
                        if (TTerms.SkipsEmptyVectors && inside == Vector256<float>.Zero) continue;
                        var ux = uxj - uxi; var uy = uyj - uyi; var uz = uzj - uzi;
                        var du2 = dx * ux + dy * uy + dz * uz;
                        terms.Evaluate(s, du2, inside, out var phi, out var c);
                        var kx = phi * ux + c * dx; var ky = phi * uy + c * dy; var kz = phi * uz + c * dz;
                        kxi += kx; kyi += ky; kzi += kz;
                        SinglePackedPairAdjoint.Add(products, scatterTo, sx, sy, sz);
                        scatterTo = entries + q;
                        (sx, sy, sz) = (kx, ky, kz);
                    }
                }
                SinglePackedPairAdjoint.Add(products, scatterTo, sx, sy, sz);
                (sx, sy, sz) = (default, default, default);
                SinglePackedPairAdjoint.Add(products, own, -kxi, -kyi, -kzi);
                terms.EndSlice(sl, slices.SliceCount);
            }
        }
    }

    /// <summary>Double precision, d = x_i − x_j and u = w_i − w_j: the term added to i, subtracted from j.</summary>
    public static void Double<TTerms>(ref TTerms terms, PartnerSlices slices, PackedPairAdjoint packed, Box box, int typeCount)
        where TTerms : struct, ISliceTerms<double>, allows ref struct
    {
        const int width = 4;
        ref var particles = ref MemoryMarshal.GetArrayDataReference(slices.Particles);
        ref var blockStart = ref MemoryMarshal.GetArrayDataReference(slices.BlockStart);
        ref var entries = ref MemoryMarshal.GetArrayDataReference(slices.Entries);
        ref var partners = ref MemoryMarshal.GetArrayDataReference(slices.Counts);
        var rows = packed.Rows;
        var products = packed.Products;
        var periodic = new PeriodicLanes(box);
        var one = Vector256<double>.One;
        for (var sl = 0; sl < slices.SliceCount; sl++)
        {
            PackedPairAdjoint.Offsets(ref particles, sl * width, out var i0, out var i1, out var i2, out var i3);
            PackedPairAdjoint.Gather(rows, i0, i1, i2, i3, out var xi, out var yi, out var zi, out var uxi, out var uyi, out var uzi);
            Vector256<double> jxi = default, jyi = default, jzi = default;
            for (var t = 0; t < typeCount; t++)
            {
                var group = sl * typeCount + t;
                var cut2 = terms.Begin(slices.SliceType[sl] * typeCount + t);
                var counts = PartnerLanes.Counts(ref Unsafe.Add(ref partners, group * width));
                var step = Vector256<double>.Zero;
                var end = Unsafe.Add(ref blockStart, group + 1);
                for (var q = Unsafe.Add(ref blockStart, group); q < end; q += width, step += one)
                {
                    PackedPairAdjoint.Offsets(ref entries, q, out var o0, out var o1, out var o2, out var o3);
                    PackedPairAdjoint.Gather(rows, o0, o1, o2, o3, out var xj, out var yj, out var zj, out var uxj, out var uyj, out var uzj);
                    var dx = xi - xj; var dy = yi - yj; var dz = zi - zj;
                    var s = periodic.MinimumImage(ref dx, ref dy, ref dz);
                    var inside = Vector256.LessThan(s, cut2) & Vector256.LessThan(step, counts);
                    if (TTerms.SkipsEmptyVectors && inside == Vector256<double>.Zero) continue;
                    var ux = uxi - uxj; var uy = uyi - uyj; var uz = uzi - uzj;
                    var du2 = dx * ux + dy * uy + dz * uz;
                    terms.Evaluate(s, du2, inside, out var phi, out var c);
                    var jx = phi * ux + c * dx; var jy = phi * uy + c * dy; var jz = phi * uz + c * dz;
                    jxi += jx; jyi += jy; jzi += jz;
                    PackedPairAdjoint.Subtract(products, o0, o1, o2, o3, jx, jy, jz);
                }
            }
            PackedPairAdjoint.Subtract(products, i0, i1, i2, i3, -jxi, -jyi, -jzi);
            terms.EndSlice(sl, slices.SliceCount);
        }
    }
}
