using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Forces;
using static DiffSim.Adjoint.PartnerLanes;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>The reverse pair pass in single precision, eight partners to a vector, for fields whose forward forces are float.</summary>
/// <remarks>
/// The pair terms of <see cref="DifferentiablePairField{TPotential}.Backward"/> in float lanes: the separations from
/// wrapped float positions (as the forward kernel's), the products summed in float per pass and added to the double
/// adjoint, the parameter terms of each block of 16 particles widened into double sums, so that the rounding is that
/// of one pass, not of the window. Taken only with AVX2 (<see cref="UsesSinglePass"/>); the gradient stays within float rounding of the
/// double pass's.
/// </remarks>
public sealed unsafe partial class DifferentiablePairField<TPotential>
{
    private readonly SinglePackedPairAdjoint _single = new();
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
        var type = state.TypeOf;
        var box = state.Box;
        var packed = _single;
        packed.Load(n, box, state.X, state.Y, state.Z, wx, wy, wz);
        var rows = packed.Rows;
        var products = packed.Products;
        PrepareSingleConstants();
        var periodic = new SinglePeriodicLanes(box);
        var two = Vector256.Create(2f);
        Span<Vector256<float>> dphi = stackalloc Vector256<float>[np];
        // Each type pair's parameter terms summed in float over a block of particles, then widened into double sums: the
        // float sums stay short, and the widening is paid once a block instead of once a particle.
        const int block = 16;
        Span<Vector256<float>> terms = stackalloc Vector256<float>[_pairSlotCount * np];
        Span<Vector256<double>> gradient = stackalloc Vector256<double>[_pairSlotCount * np];
        terms.Clear();
        gradient.Clear();
        fixed (int* start = _list.Start, neighbours = _list.Neighbours)
        {
            for (var i = 0; i < n; i++)
            {
                var row = rows + i * SinglePackedPairAdjoint.RowLength;
                var xi = Vector256.Create(row[0]); var yi = Vector256.Create(row[1]); var zi = Vector256.Create(row[2]);
                var uxi = Vector256.Create(row[4]); var uyi = Vector256.Create(row[5]); var uzi = Vector256.Create(row[6]);
                Vector256<float> kxi = default, kyi = default, kzi = default;
                for (var t = 0; t < nt; t++)
                {
                    var pair = type[i] * nt + t;
                    var potential = table.Potentials[pair];
                    ref readonly var constants = ref _singleConstants[pair * TPotential.AdjointLaneConstantCount];
                    var cut2 = Vector256.Create((float)(table.Cutoffs[pair] * table.Cutoffs[pair]));
                    ref var groupTerms = ref terms[_pairSlot[pair] * np];
                    var end = start[i * nt + t + 1];
                    for (var q = start[i * nt + t]; q < end; q += width)
                    {
                        SinglePackedPairAdjoint.Gather(rows, neighbours + q, out var xj, out var yj, out var zj, out var uxj, out var uyj, out var uzj);
                        // d = x_j − x_i and u = w_j − w_i: the pair's term for j with its sign, −(its term for i).
                        var s = periodic.Separation(xi, yi, zi, xj, yj, zj, out var dx, out var dy, out var dz);
                        var inside = Vector256.LessThan(s, cut2) & BelowSingle(end - q);
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
                        SinglePackedPairAdjoint.Add(products, neighbours + q, kx, ky, kz);
                        for (var p = 0; p < np; p++) Unsafe.Add(ref groupTerms, p) += (dphi[p] & inside) * du2;
                    }
                }
                Xyzw.SubtractSums(products + i * SinglePackedPairAdjoint.ProductLength, kxi, kyi, kzi);
                if (i % block == block - 1 || i == n - 1) Widen(terms, gradient);
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
