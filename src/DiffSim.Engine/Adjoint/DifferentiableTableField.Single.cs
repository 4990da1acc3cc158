using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DiffSim.Forces;
using DiffSim.Neighbours;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>The tables' reverse pair pass in single precision, eight first partners to a vector, for fields whose forward forces are float.</summary>
/// <remarks>
/// <see cref="DifferentiableTableField.Backward"/>'s terms in float lanes, as <c>DifferentiablePairField</c>'s float pass
/// runs the analytic ones (<see cref="SlicePass"/>, shared with them): the half list as <see cref="PartnerSlices"/>, rows and products of <see cref="SinglePackedPairAdjoint"/>, u' and u'' of the table's float
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
        var nt = Forward.Table.TypeCount;
        var count = state.Count;
        _slices.Update(_list, state.TypeOf.AsSpan(0, count), nt);
        _single.Load(count, state.Box, state.X, state.Y, state.Z, wx, wy, wz);
        if (_knotGradientSingle.Length != _knotGradient.Length) _knotGradientSingle = new float[_knotGradient.Length];
        Array.Clear(_knotGradientSingle);
        fixed (float* knotGradient = _knotGradientSingle)
        {
            var pass = new SingleTerms(Forward.Table, knotGradient, _slotOffset, _pairSlot);
            SlicePass.Single(ref pass, _slices, _single, state.Box, nt);
        }
        _single.AddProductsTo(count, positionAdjoint.X, positionAdjoint.Y, positionAdjoint.Z);
        AddKnotGradient(_knotGradientSingle, accumulator);
    }

    /// <summary>
    /// The tables' float terms: u' and u'' of <c>HermiteTable.DerivativeJet</c> (lanes past their particle's partners
    /// read the particle itself, r = 0, an interval the table clamps), and the knot terms g = −(d·u)/r times each knot
    /// variable's weight, zero in the lanes that add nothing.
    /// </summary>
    private struct SingleTerms(PairTable<HermiteTable> table, float* knotGradient, int[] slotOffset, int[] pairSlot) : ISliceTerms<float>
    {
        private HermiteTable _potential;
        private float* _knots;

        public static bool SkipsEmptyVectors => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Begin(int pair)
        {
            _potential = table.Potentials[pair];
            _knots = knotGradient + slotOffset[pairSlot[pair]];
            return Vector256.Create((float)(table.Cutoffs[pair] * table.Cutoffs[pair]));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Evaluate(Vector256<float> s, Vector256<float> du2, Vector256<float> inside, out Vector256<float> phi, out Vector256<float> c)
        {
            var r = Vector256.Sqrt(s);
            var k = _potential.DerivativeJet(r, out var du, out var d2u, out var weights);
            var inverseR = Vector256<float>.One / r;
            var duOverR = du * inverseR;
            phi = -duOverR & inside;
            c = ((duOverR - d2u) * inverseR * inverseR & inside) * du2;
            var g = -du2 * inverseR & inside;
            AddToKnots(_knots, k, weights.Value0 * g, weights.Slope0 * g, weights.Value1 * g, weights.Slope1 * g);
        }

        public readonly void EndSlice(int slice, int count)
        {
        }
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
