using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Forces;
using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>The reverse pair pass in single precision, eight first partners to a vector, for fields whose forward forces are float.</summary>
/// <remarks>
/// The pair terms of <see cref="DifferentiablePairField{TPotential}.Backward"/> in float lanes: the separations from
/// wrapped float positions (as the forward kernel's), the products summed in float per pass and added to the double
/// adjoint, the parameter terms of every two slices (16 particles) widened into double sums, so that the rounding is
/// that of one pass, not of the window. The half list runs as <see cref="PartnerSlices"/> (eight particles in the
/// lanes, each lane its own partners): 60 passes of the paper's LJ window took 1.86 ms a particle per row, 1.49 ms so.
/// Taken only with AVX2 (<see cref="UsesSinglePass"/>); the gradient stays within float rounding of the double pass's.
/// </remarks>
public sealed unsafe partial class DifferentiablePairField<TPotential>
{
    private readonly SinglePackedPairAdjoint _single = new();
    private readonly PartnerSlices _slices = new(8);
    private Vector256<float>[] _singleConstants = [];

    /// <summary>Whether <see cref="Backward"/> runs in single precision: float forward forces on a machine with AVX2.</summary>
    private bool UsesSinglePass => SinglePackedPairAdjoint.Serves(Forward.Precision);

    private void BackwardSingle(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        const int width = 8;
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        var n = state.Count;
        var box = state.Box;
        var slices = _slices;
        slices.Update(_list, state.TypeOf.AsSpan(0, n), nt);
        var packed = _single;
        packed.Load(n, box, state.X, state.Y, state.Z, wx, wy, wz);
        var rows = packed.Rows;
        var products = packed.Products;
        PrepareSingleConstants();
        var periodic = new SinglePeriodicLanes(box);
        var two = Vector256.Create(2f);
        var one = Vector256.Create(1f);
        Span<Vector256<float>> dphi = stackalloc Vector256<float>[np];
        // Each type pair's parameter terms summed in float over a few slices, then widened into double sums: the float
        // sums stay short, and the widening is paid once per 16 particles instead of once a particle.
        const int block = 2;
        Span<Vector256<float>> terms = stackalloc Vector256<float>[_pairSlotCount * np];
        Span<Vector256<double>> gradient = stackalloc Vector256<double>[_pairSlotCount * np];
        terms.Clear();
        gradient.Clear();
        fixed (int* particles = slices.Particles, blockStart = slices.BlockStart, entries = slices.Entries, partners = slices.Counts)
        {
            for (var sl = 0; sl < slices.SliceCount; sl++)
            {
                // Eight first partners i in the lanes, each running its own partners j: d = x_j − x_i and
                // u = w_j − w_i, the pair's term for j with its sign, −(its term for i).
                var own = particles + sl * width;
                SinglePackedPairAdjoint.Gather(rows, own, out var xi, out var yi, out var zi, out var uxi, out var uyi, out var uzi);
                Vector256<float> kxi = default, kyi = default, kzi = default;
                for (var t = 0; t < nt; t++)
                {
                    var group = sl * nt + t;
                    var pair = slices.SliceType[sl] * nt + t;
                    var potential = table.Potentials[pair];
                    ref readonly var constants = ref _singleConstants[pair * TPotential.AdjointLaneConstantCount];
                    var cut2 = Vector256.Create((float)(table.Cutoffs[pair] * table.Cutoffs[pair]));
                    ref var groupTerms = ref terms[_pairSlot[pair] * np];
                    // Lanes past their particle's partners read the particle itself and are masked.
                    var counts = Vector256.ConvertToSingle(Vector256.Load(partners + group * width));
                    var step = Vector256<float>.Zero;
                    var end = blockStart[group + 1];
                    for (var q = blockStart[group]; q < end; q += width, step += one)
                    {
                        SinglePackedPairAdjoint.Gather(rows, entries + q, out var xj, out var yj, out var zj, out var uxj, out var uyj, out var uzj);
                        var s = periodic.Separation(xi, yi, zi, xj, yj, zj, out var dx, out var dy, out var dz);
                        var inside = Vector256.LessThan(s, cut2) & Vector256.LessThan(step, counts);
                        Vector256<float> phi, dphids;
                        if (TPotential.AdjointLaneConstantCount > 0) potential.EvaluateAdjoint(s, in constants, out phi, out dphids, dphi);
                        else potential.EvaluateAdjoint(s, out phi, out dphids, dphi);
                        phi &= inside;
                        dphids &= inside;
                        var ux = uxj - uxi; var uy = uyj - uyi; var uz = uzj - uzi;
                        var du2 = dx * ux + dy * uy + dz * uz;
                        var c = two * dphids * du2;
                        var kx = phi * ux + c * dx; var ky = phi * uy + c * dy; var kz = phi * uz + c * dz;
                        kxi += kx; kyi += ky; kzi += kz;
                        SinglePackedPairAdjoint.Add(products, entries + q, kx, ky, kz);
                        for (var p = 0; p < np; p++) Unsafe.Add(ref groupTerms, p) += (dphi[p] & inside) * du2;
                    }
                }
                SinglePackedPairAdjoint.Add(products, own, -kxi, -kyi, -kzi);
                if (sl % block == block - 1 || sl == slices.SliceCount - 1) Widen(terms, gradient);
            }
        }
        packed.AddProductsTo(n, positionAdjoint.X, positionAdjoint.Y, positionAdjoint.Z);
        for (var k = 0; k < gradient.Length; k++) accumulator[k] += Vector256.Sum(gradient[k]);
    }

    /// <summary>Adds the float sums to the double ones and clears them.</summary>
    private static void Widen(Span<Vector256<float>> terms, Span<Vector256<double>> gradient)
    {
        for (var k = 0; k < terms.Length; k++)
        {
            gradient[k] += Vector256.WidenLower(terms[k]) + Vector256.WidenUpper(terms[k]);
            terms[k] = default;
        }
    }

    /// <summary><see cref="PrepareConstants"/> in float.</summary>
    private void PrepareSingleConstants()
    {
        var count = TPotential.AdjointLaneConstantCount;
        var potentials = Forward.Table.Potentials;
        if (_singleConstants.Length == 0) _singleConstants = new Vector256<float>[Math.Max(1, potentials.Length * count)];
        Span<float> scalars = stackalloc float[count];
        for (var p = 0; p < potentials.Length; p++)
        {
            potentials[p].AdjointLaneConstants(scalars);
            for (var c = 0; c < count; c++) _singleConstants[p * count + c] = Vector256.Create(scalars[c]);
        }
    }
}
