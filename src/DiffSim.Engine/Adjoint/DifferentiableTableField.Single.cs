using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Forces;
using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>The tables' reverse pair pass in single precision, eight first partners to a vector, for fields whose forward forces are float.</summary>
/// <remarks>
/// <see cref="DifferentiableTableField.Backward"/>'s terms in float lanes, as <c>DifferentiablePairField</c>'s float pass
/// runs the analytic ones: the half list as <see cref="PartnerSlices"/>, rows and products of <see cref="SinglePackedPairAdjoint"/>, u' and u'' of the table's float
/// <c>HermiteTable.DerivativeJet</c>, and a pair's four knot terms (y_k, m_k, y_{k+1}, m_{k+1}) as one 128-bit float
/// read-modify-write. The products and the knot gradient are summed in float over one pass and added to the double
/// adjoint.
/// </remarks>
public sealed unsafe partial class DifferentiableTableField
{
    private readonly SinglePackedPairAdjoint _single = new();
    private readonly PartnerSlices _slices = new(8);
    private float[] _knotGradientSingle = [];

    /// <summary>Whether <see cref="Backward"/> runs in single precision: float forward forces on a machine with AVX2.</summary>
    private bool UsesSinglePass => SinglePackedPairAdjoint.Serves(Forward.Precision);

    private void BackwardSingle(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        const int width = 8;
        var table = Forward.Table;
        var nt = table.TypeCount;
        var count = state.Count;
        var box = state.Box;
        var slices = _slices;
        slices.Update(_list, state.TypeOf.AsSpan(0, count), nt);
        _single.Load(count, box, state.X, state.Y, state.Z, wx, wy, wz);
        var rows = _single.Rows;
        var products = _single.Products;
        if (_knotGradientSingle.Length != _knotGradient.Length) _knotGradientSingle = new float[_knotGradient.Length];
        Array.Clear(_knotGradientSingle);
        var periodic = new SinglePeriodicLanes(box);
        var one = Vector256<float>.One;
        fixed (int* particles = slices.Particles, blockStart = slices.BlockStart, entries = slices.Entries, partners = slices.Counts)
        fixed (float* knotGradient = _knotGradientSingle)
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
                    var cut2 = Vector256.Create((float)(table.Cutoffs[pair] * table.Cutoffs[pair]));
                    var knots = knotGradient + _slotOffset[_pairSlot[pair]];
                    // Lanes past their particle's partners read the particle itself (r = 0, an interval the table
                    // clamps) and are masked.
                    var counts = Vector256.ConvertToSingle(Vector256.Load(partners + group * width));
                    var step = Vector256<float>.Zero;
                    var end = blockStart[group + 1];
                    for (var q = blockStart[group]; q < end; q += width, step += one)
                    {
                        SinglePackedPairAdjoint.Gather(rows, entries + q, out var xj, out var yj, out var zj, out var uxj, out var uyj, out var uzj);
                        var s = periodic.Separation(xi, yi, zi, xj, yj, zj, out var dx, out var dy, out var dz);
                        var inside = Vector256.LessThan(s, cut2) & Vector256.LessThan(step, counts);
                        // A vector with no lane inside the cutoff (a skin list has them) adds nothing.
                        if (inside == Vector256<float>.Zero) continue;
                        var r = Vector256.Sqrt(s);
                        var ux = uxj - uxi; var uy = uyj - uyi; var uz = uzj - uzi;
                        var du2 = dx * ux + dy * uy + dz * uz;
                        var k = potential.DerivativeJet(r, out var du, out var d2u, out var weights);
                        var inverseR = Vector256<float>.One / r;
                        var duOverR = du * inverseR;
                        var phi = -duOverR & inside;
                        var c = ((duOverR - d2u) * inverseR * inverseR & inside) * du2;
                        // g = −(d·u)/r times each knot variable's weight, zero in the lanes that add nothing.
                        var g = -du2 * inverseR & inside;
                        AddToKnots(knots, k, weights.Value0 * g, weights.Slope0 * g, weights.Value1 * g, weights.Slope1 * g);
                        var kx = phi * ux + c * dx; var ky = phi * uy + c * dy; var kz = phi * uz + c * dz;
                        kxi += kx; kyi += ky; kzi += kz;
                        SinglePackedPairAdjoint.Add(products, entries + q, kx, ky, kz);
                    }
                }
                SinglePackedPairAdjoint.Add(products, own, -kxi, -kyi, -kzi);
            }
        }
        _single.AddProductsTo(count, positionAdjoint.X, positionAdjoint.Y, positionAdjoint.Z);
        AddKnotGradient(_knotGradientSingle, accumulator);
    }

    /// <summary>
    /// The eight lanes' terms for (y_k, m_k, y_{k+1}, m_{k+1}) of their intervals, at 2k in <paramref name="knots"/>
    /// (laid out y_0, m_0, y_1, m_1, …): one 128-bit read-modify-write a lane (lanes that share an interval add in turn).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToKnots(float* knots, Vector256<int> k, Vector256<float> value0, Vector256<float> slope0,
        Vector256<float> value1, Vector256<float> slope1)
    {
        Xyzw.ToQuadruples(value0, slope0, value1, slope1, out var q0, out var q1, out var q2, out var q3);
        Add(knots, k.GetElement(0), q0.GetLower());
        Add(knots, k.GetElement(1), q1.GetLower());
        Add(knots, k.GetElement(2), q2.GetLower());
        Add(knots, k.GetElement(3), q3.GetLower());
        Add(knots, k.GetElement(4), q0.GetUpper());
        Add(knots, k.GetElement(5), q1.GetUpper());
        Add(knots, k.GetElement(6), q2.GetUpper());
        Add(knots, k.GetElement(7), q3.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* knots, int k, Vector128<float> terms)
    {
        var at = knots + 2 * k;
        (Vector128.Load(at) + terms).Store(at);
    }
}
