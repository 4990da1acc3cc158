using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Numerics;
using DiffSim.Potentials;

namespace DiffSim.Forces;

/// <summary>Everything a pair-kernel range needs, in the kernel's precision T. Pointers are pinned by the owner.</summary>
internal readonly unsafe struct KernelInput<T, TPotential>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TPotential : struct, IPairPotential<TPotential>
{
    public required T* X { get; init; }
    public required T* Y { get; init; }
    public required T* Z { get; init; }
    public required int[] Neighbours { get; init; }
    public required int[] GroupStart { get; init; }
    public required int[] TypeOf { get; init; }
    public required int TypeCount { get; init; }
    public required TPotential[] Potentials { get; init; }
    public required T[] Cutoff2 { get; init; }
    public required T[] Shift { get; init; }
    public required T Lx { get; init; }
    public required T Ly { get; init; }
    public required T Lz { get; init; }
    public required double[] Fx { get; init; }
    public required double[] Fy { get; init; }
    public required double[] Fz { get; init; }
}

/// <summary>
/// The pair-force driver over a full, type-grouped Verlet list: for each particle i in a range, the force
/// F_i = Σ_j φ(r_ij²) r_ij with φ = −u'(r)/r, the energy Σ_j u and the virial Σ_j φ r². Pairs are seen twice
/// (full list), so the caller halves energy and virial. One generic method per instruction-set width; the
/// potential is a struct type argument, so the JIT inlines its Evaluate and nothing in the loop is virtual.
/// </summary>
/// <remarks>
/// Each group's last vector runs past the group's end into the next entries (the list keeps
/// <see cref="Neighbours.VerletList.Slack"/> valid entries at its end); those lanes are masked by a lane-count
/// compare, so there is no scalar remainder loop. Masked lanes get r² = r_c² before evaluation, so no potential
/// ever sees r = 0.
/// </remarks>
internal static unsafe class PairKernel<T, TPotential>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TPotential : struct, IPairPotential<TPotential>
{
    public static (double Energy, double Virial) Scalar(in KernelInput<T, TPotential> k, int i0, int i1)
    {
        double energy = 0, virial = 0;
        var nt = k.TypeCount;
        T lx = k.Lx, ly = k.Ly, lz = k.Lz;
        T ilx = T.One / lx, ily = T.One / ly, ilz = T.One / lz;
        fixed (int* nb = k.Neighbours, gs = k.GroupStart)
        {
            for (var i = i0; i < i1; i++)
            {
                var ti = k.TypeOf[i];
                T xi = k.X[i], yi = k.Y[i], zi = k.Z[i];
                T fx = T.Zero, fy = T.Zero, fz = T.Zero, eu = T.Zero, w = T.Zero;
                for (var t = 0; t < nt; t++)
                {
                    var pair = ti * nt + t;
                    ref readonly var pot = ref k.Potentials[pair];
                    T rc2 = k.Cutoff2[pair], shift = k.Shift[pair];
                    int end = gs[i * nt + t + 1];
                    for (var jj = gs[i * nt + t]; jj < end; jj++)
                    {
                        var j = nb[jj];
                        var dx = xi - k.X[j];
                        var dy = yi - k.Y[j];
                        var dz = zi - k.Z[j];
                        dx -= lx * T.Round(dx * ilx);
                        dy -= ly * T.Round(dy * ily);
                        dz -= lz * T.Round(dz * ilz);
                        var r2 = dx * dx + dy * dy + dz * dz;
                        if (r2 >= rc2) continue;
                        pot.Evaluate(r2, out var u, out var phi);
                        fx += phi * dx; fy += phi * dy; fz += phi * dz;
                        eu += u - shift;
                        w += phi * r2;
                    }
                }
                k.Fx[i] = double.CreateTruncating(fx);
                k.Fy[i] = double.CreateTruncating(fy);
                k.Fz[i] = double.CreateTruncating(fz);
                energy += double.CreateTruncating(eu);
                virial += double.CreateTruncating(w);
            }
        }
        return (energy, virial);
    }

    public static (double Energy, double Virial) Vector256Path(in KernelInput<T, TPotential> k, int i0, int i1)
    {
        var width = Vector256<T>.Count;
        var lane = Vector256<T>.Indices;
        var nt = k.TypeCount;
        Vector256<T> lx = Vector256.Create(k.Lx), ly = Vector256.Create(k.Ly), lz = Vector256.Create(k.Lz);
        Vector256<T> ilx = Vector256<T>.One / lx, ily = Vector256<T>.One / ly, ilz = Vector256<T>.One / lz;
        double energy = 0, virial = 0;
        fixed (int* nb = k.Neighbours, gs = k.GroupStart)
        {
            for (var i = i0; i < i1; i++)
            {
                var ti = k.TypeOf[i];
                Vector256<T> xi = Vector256.Create(k.X[i]), yi = Vector256.Create(k.Y[i]), zi = Vector256.Create(k.Z[i]);
                Vector256<T> fx = default, fy = default, fz = default, eu = default, w = default;
                for (var t = 0; t < nt; t++)
                {
                    var pair = ti * nt + t;
                    ref readonly var pot = ref k.Potentials[pair];
                    var rc2 = Vector256.Create(k.Cutoff2[pair]);
                    var shift = Vector256.Create(k.Shift[pair]);
                    int end = gs[i * nt + t + 1];
                    for (var jj = gs[i * nt + t]; jj < end; jj += width)
                    {
                        var dx = xi - Gather.Load256(k.X, nb + jj);
                        var dy = yi - Gather.Load256(k.Y, nb + jj);
                        var dz = zi - Gather.Load256(k.Z, nb + jj);
                        dx -= lx * SimdMath.Round(dx * ilx);
                        dy -= ly * SimdMath.Round(dy * ily);
                        dz -= lz * SimdMath.Round(dz * ilz);
                        var r2 = dx * dx + dy * dy + dz * dz;
                        var live = Vector256.LessThan(r2, rc2) & Vector256.LessThan(lane, Vector256.Create(T.CreateTruncating(end - jj)));
                        r2 = Vector256.ConditionalSelect(live, r2, rc2);
                        pot.Evaluate(r2, out var u, out var phi);
                        phi &= live;
                        fx += phi * dx; fy += phi * dy; fz += phi * dz;
                        eu += live & (u - shift);
                        w += phi * r2;
                    }
                }
                k.Fx[i] = double.CreateTruncating(Vector256.Sum(fx));
                k.Fy[i] = double.CreateTruncating(Vector256.Sum(fy));
                k.Fz[i] = double.CreateTruncating(Vector256.Sum(fz));
                energy += double.CreateTruncating(Vector256.Sum(eu));
                virial += double.CreateTruncating(Vector256.Sum(w));
            }
        }
        return (energy, virial);
    }

    public static (double Energy, double Virial) Vector512Path(in KernelInput<T, TPotential> k, int i0, int i1)
    {
        var width = Vector512<T>.Count;
        var lane = Vector512<T>.Indices;
        var nt = k.TypeCount;
        Vector512<T> lx = Vector512.Create(k.Lx), ly = Vector512.Create(k.Ly), lz = Vector512.Create(k.Lz);
        Vector512<T> ilx = Vector512<T>.One / lx, ily = Vector512<T>.One / ly, ilz = Vector512<T>.One / lz;
        double energy = 0, virial = 0;
        fixed (int* nb = k.Neighbours, gs = k.GroupStart)
        {
            for (var i = i0; i < i1; i++)
            {
                var ti = k.TypeOf[i];
                Vector512<T> xi = Vector512.Create(k.X[i]), yi = Vector512.Create(k.Y[i]), zi = Vector512.Create(k.Z[i]);
                Vector512<T> fx = default, fy = default, fz = default, eu = default, w = default;
                for (var t = 0; t < nt; t++)
                {
                    var pair = ti * nt + t;
                    ref readonly var pot = ref k.Potentials[pair];
                    var rc2 = Vector512.Create(k.Cutoff2[pair]);
                    var shift = Vector512.Create(k.Shift[pair]);
                    int end = gs[i * nt + t + 1];
                    for (var jj = gs[i * nt + t]; jj < end; jj += width)
                    {
                        var dx = xi - Gather.Load512(k.X, nb + jj);
                        var dy = yi - Gather.Load512(k.Y, nb + jj);
                        var dz = zi - Gather.Load512(k.Z, nb + jj);
                        dx -= lx * SimdMath.Round(dx * ilx);
                        dy -= ly * SimdMath.Round(dy * ily);
                        dz -= lz * SimdMath.Round(dz * ilz);
                        var r2 = dx * dx + dy * dy + dz * dz;
                        var live = Vector512.LessThan(r2, rc2) & Vector512.LessThan(lane, Vector512.Create(T.CreateTruncating(end - jj)));
                        r2 = Vector512.ConditionalSelect(live, r2, rc2);
                        pot.Evaluate(r2, out var u, out var phi);
                        phi &= live;
                        fx += phi * dx; fy += phi * dy; fz += phi * dz;
                        eu += live & (u - shift);
                        w += phi * r2;
                    }
                }
                k.Fx[i] = double.CreateTruncating(Vector512.Sum(fx));
                k.Fy[i] = double.CreateTruncating(Vector512.Sum(fy));
                k.Fz[i] = double.CreateTruncating(Vector512.Sum(fz));
                energy += double.CreateTruncating(Vector512.Sum(eu));
                virial += double.CreateTruncating(Vector512.Sum(w));
            }
        }
        return (energy, virial);
    }
}
