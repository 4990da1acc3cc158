using System.Runtime.Intrinsics;
using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>The reverse pair pass in single precision, eight first partners to a vector, for fields whose forward forces are float.</summary>
/// <remarks>
/// The pair terms of <see cref="DifferentiablePairField{TPotential}.Backward"/> in float lanes: the separations from
/// wrapped float positions (as the forward kernel's), the products summed in float per pass and added to the double
/// adjoint, the parameter terms of every two slices (16 particles) widened into double sums, so that the rounding is
/// that of one pass, not of the window. The half list runs as <see cref="PartnerSlices"/> (eight particles in the
/// lanes, each lane its own partners; <see cref="SlicePass"/>, shared with the tables): 60 passes of the paper's
/// LJ window took 1.86 ms a particle per row, 1.49 ms so.
/// Taken only with AVX2 (<see cref="UsesSinglePass"/>); the gradient stays within float rounding of the double pass's.
/// </remarks>
public sealed unsafe partial class DifferentiablePairField<TPotential>
{
    private readonly SinglePackedPairAdjoint _single = new();
    private readonly PartnerSlices _slices = new(8);
    private readonly Vector256<float>[] _singleConstants;

    /// <summary>Whether <see cref="Backward"/> runs in single precision: float forward forces on a machine with AVX2.</summary>
    private bool UsesSinglePass => SinglePackedPairAdjoint.Serves(Forward.Precision);

    private void BackwardSingle(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        var n = state.Count;
        _slices.Update(_list, state.TypeOf.AsSpan(0, n), nt);
        _single.Load(n, state.Box, state.X, state.Y, state.Z, wx, wy, wz);
        PrepareConstants(_singleConstants);
        Span<Vector256<float>> dphi = stackalloc Vector256<float>[np];
        Span<Vector256<float>> terms = stackalloc Vector256<float>[_pairSlotCount * np];
        Span<Vector256<double>> gradient = stackalloc Vector256<double>[_pairSlotCount * np];
        terms.Clear();
        gradient.Clear();
        var pass = new AnalyticTerms<float>(table, _singleConstants, _pairSlot, dphi, terms, gradient);
        SlicePass.Single(ref pass, _slices, _single, state.Box, nt);
        _single.AddProductsTo(n, positionAdjoint.X, positionAdjoint.Y, positionAdjoint.Z);
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
}
