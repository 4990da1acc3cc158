using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffSim.Forces;
using DiffSim.Neighbours;
using DiffSim.Observables;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// A pair field of <see cref="HermiteTable"/>s, one per type pair a ≤ b, whose knot values and slopes are the
/// trainable parameters: θ is, over type pairs in row order, (y_0 … y_{n−1}, m_0 … m_{n−1}) of each pair's table.
/// A tabulated potential is so trained directly, and a network evaluated through tables
/// (NeuralPairField) uses this field as its forward and reverse pass.
/// </summary>
/// <remarks>
/// The reverse pass is <see cref="DifferentiablePairField{TPotential}"/>'s pair loop (its own half list) with u' and u'' of the table;
/// its parameter part, Σ (∂φ/∂ψ)(wᵢ·d) with ∂φ/∂ψ = −(∂u'/∂ψ)/r, touches only the four knot variables
/// (y_k, m_k, y_{k+1}, m_{k+1}) of the interval holding r (Hermite local support), so it costs no more than the
/// analytic field's.
/// </remarks>
public sealed unsafe partial class DifferentiableTableField : IDifferentiableForceField, IFramePairUser
{
    private readonly int[] _pairSlot;
    private readonly int[] _slotOffset;
    private readonly (int A, int B)[] _slotPair;
    private readonly HalfPairList _list;
    private readonly PartnerSlices _double = new(4);
    private readonly PackedPairAdjoint _packed = new();
    // A pass's knot gradient, each table's (y_k, m_k) side by side, so that a pair's four terms are two 128-bit adds.
    private readonly double[] _knotGradient;

    /// <summary>Wraps a forward field whose every pair is a table with its last knot at the pair's cutoff and no energy shift.</summary>
    public DifferentiableTableField(PairForceField<HermiteTable> forward, IReadOnlyList<string> typeNames)
    {
        Forward = forward;
        var table = forward.Table;
        var nt = table.TypeCount;
        if (typeNames.Count != nt) throw new ArgumentException($"expected {nt} type names, got {typeNames.Count}");
        table.EnsureComplete(typeNames);
        _pairSlot = new int[nt * nt];
        var offsets = new List<int>();
        var pairs = new List<(int, int)>();
        var names = new List<string>();
        var offset = 0;
        for (var a = 0; a < nt; a++)
            for (var b = a; b < nt; b++)
            {
                var p = table[a, b];
                var rc = table.Cutoffs[a * nt + b];
                if (Math.Abs(rc - p.Cutoff) > 1e-9 * rc)
                    throw new ArgumentException($"the table of pair {typeNames[a]}-{typeNames[b]} ends at {p.Cutoff:R} but the pair's cutoff is {rc:R}: its last knot must be the cutoff");
                if (table.Shifts[a * nt + b] != 0)
                    throw new ArgumentException($"the table of pair {typeNames[a]}-{typeNames[b]} is shifted; a trainable table must be unshifted (make it vanish at its last knot instead)");
                _pairSlot[a * nt + b] = _pairSlot[b * nt + a] = pairs.Count;
                pairs.Add((a, b));
                offsets.Add(offset);
                for (var k = 0; k < p.Count; k++) names.Add($"u{k}[{typeNames[a]}-{typeNames[b]}]");
                for (var k = 0; k < p.Count; k++) names.Add($"du{k}[{typeNames[a]}-{typeNames[b]}]");
                offset += 2 * p.Count;
            }
        offsets.Add(offset);
        _slotOffset = offsets.ToArray();
        _knotGradient = new double[offset];
        _slotPair = pairs.ToArray();
        ParameterNames = names;
        _list = new HalfPairList(forward.MaxCutoff, Math.Min(forward.Skin, HalfPairList.ReversePassSkin));
    }

    /// <summary>A field from one table per type pair a ≤ b (<paramref name="tableOf"/>(a, b)), each cut off at its last knot.</summary>
    public static DifferentiableTableField Create(IReadOnlyList<string> typeNames, Func<int, int, HermiteTable> tableOf, double skin,
        Precision precision = Precision.Double, KernelPath path = KernelPath.Auto, int threads = 1)
    {
        var table = new PairTable<HermiteTable>(typeNames.Count);
        for (var a = 0; a < typeNames.Count; a++)
            for (var b = a; b < typeNames.Count; b++)
            {
                var t = tableOf(a, b);
                table.Set(a, b, t, t.Cutoff, shift: false);
            }
        return new DifferentiableTableField(new PairForceField<HermiteTable>(table, skin, precision, path, threads), typeNames);
    }

    public PairForceField<HermiteTable> Forward { get; }
    public double MaxCutoff => Forward.MaxCutoff;
    public int ListBuilds => Forward.ListBuilds;
    public int ParameterCount => ParameterNames.Count;
    public IReadOnlyList<string> ParameterNames { get; }
    public int TypeCount => Forward.Table.TypeCount;
    public int AccumulatorLength => ParameterCount;

    public void InvalidateNeighbours()
    {
        Forward.InvalidateNeighbours();
        _list.Invalidate();
    }

    /// <summary>Number of type pairs a ≤ b.</summary>
    public int PairCount => _slotPair.Length;

    /// <summary>Type pair (a, b), a ≤ b, of a parameter slot.</summary>
    public (int A, int B) PairOfSlot(int slot) => _slotPair[slot];

    /// <summary>Slot of type pair (a, b) in θ.</summary>
    public int SlotOf(int a, int b) => _pairSlot[a * TypeCount + b];

    /// <summary>Offset of a slot's (y, m) block in θ; its length is twice the table's knot count.</summary>
    public int SlotOffset(int slot) => _slotOffset[slot];

    /// <summary>The table of type pair (a, b).</summary>
    public HermiteTable Table(int a, int b) => Forward.Table[a, b];

    public ForceResult Compute(State state) => Forward.Compute(state);

    public bool ComputeForces(State state) => Forward.ComputeForces(state);

    public double Cutoff(int a, int b) => Forward.Table.Cutoffs[a * TypeCount + b];

    public double PairEnergy(int a, int b, double r, out double derivative)
    {
        var p = Forward.Table[a, b];
        derivative = p.Derivative(r);
        return p.Energy(r);
    }

    public double EnergyShift(int a, int b) => Forward.Table.Shifts[a * Forward.Table.TypeCount + b];

    public void GetParameters(Span<double> destination)
    {
        for (var slot = 0; slot < PairCount; slot++)
        {
            var (a, b) = _slotPair[slot];
            var t = Forward.Table[a, b];
            t.Values.CopyTo(destination.Slice(_slotOffset[slot], t.Count));
            t.Slopes.CopyTo(destination.Slice(_slotOffset[slot] + t.Count, t.Count));
        }
    }

    public void SetParameters(ReadOnlySpan<double> parameters)
    {
        if (parameters.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} parameters, got {parameters.Length}");
        for (var slot = 0; slot < PairCount; slot++)
        {
            var (a, b) = _slotPair[slot];
            var t = Forward.Table[a, b];
            t.SetKnots(parameters.Slice(_slotOffset[slot], t.Count), parameters.Slice(_slotOffset[slot] + t.Count, t.Count));
        }
    }

    public void FinishGradient(ReadOnlySpan<double> accumulator, Span<double> parameterGradient) => accumulator.CopyTo(parameterGradient);

    void IFramePairUser.OfferFramePairs(PairSearch pairs, State frameState, IReadOnlyList<State>? served) => _list.Offer(pairs, frameState, served);

    public void Backward(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        // A frame's pairs rebuild the list at the frame's positions whenever offered (see DifferentiablePairField.Backward).
        _list.Update(state);
        if (UsesSinglePass)
        {
            BackwardSingle(state, wx, wy, wz, positionAdjoint, accumulator);
            return;
        }
        // DifferentiablePairField's double pass (SlicePass.Double) with the table's u', u'' and knot weights evaluated
        // per lane: a pair at r in interval k adds (∂φ/∂ψ)(d·u) = −(∂u'/∂ψ)(d·u)/r to the four knot variables of k and
        // k + 1 only.
        var nt = Forward.Table.TypeCount;
        var count = state.Count;
        _double.Update(_list, state.TypeOf.AsSpan(0, count), nt);
        _packed.Load(count, state.X, state.Y, state.Z, wx, wy, wz);
        Array.Clear(_knotGradient);
        var pass = new DoubleTerms(Forward.Table, _knotGradient, _slotOffset, _pairSlot);
        SlicePass.Double(ref pass, _double, _packed, state.Box, nt);
        _packed.AddProductsTo(count, positionAdjoint.X, positionAdjoint.Y, positionAdjoint.Z);
        AddKnotGradient(_knotGradient, accumulator);
    }

    /// <summary>
    /// The tables' double terms: u' and u'' of <c>HermiteTable.DerivativeJet</c> (lanes past their particle's partners
    /// read the particle itself, r = 0, an interval the table clamps), and the knot terms g = −(d·u)/r times each knot
    /// variable's weight, scattered in every lane (k is clamped to the table, and g is zero in the lanes that add
    /// nothing, as for the positions).
    /// </summary>
    private ref struct DoubleTerms(PairTable<HermiteTable> table, double[] knotGradient, int[] slotOffset, int[] pairSlot) : ISliceTerms<double>
    {
        private HermiteTable _potential;
        private Span<double> _knots;

        // Lanes beyond the cutoff are a third of a skin list's, and their table terms cost much.
        public static bool SkipsEmptyVectors => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Begin(int pair)
        {
            _potential = table.Potentials[pair];
            _knots = knotGradient.AsSpan(slotOffset[pairSlot[pair]], 2 * _potential.Count);
            return Vector256.Create(table.Cutoffs[pair] * table.Cutoffs[pair]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Evaluate(Vector256<double> s, Vector256<double> du2, Vector256<double> inside, out Vector256<double> phi, out Vector256<double> c)
        {
            var r = Vector256.Sqrt(s);
            var k = _potential.DerivativeJet(r, out var du, out var d2u, out var weights);
            // One division for the three quotients (a vector division costs about as much as the rest).
            var inverseR = Vector256<double>.One / r;
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

    /// <summary>Adds a pass's knot gradient, each table's (y_k, m_k) side by side, to θ's order (a table's y, then its m).</summary>
    private void AddKnotGradient<T>(T[] knots, Span<double> accumulator) where T : unmanaged, INumberBase<T>
    {
        for (var slot = 0; slot < _slotPair.Length; slot++)
        {
            var (offset, n) = (_slotOffset[slot], (_slotOffset[slot + 1] - _slotOffset[slot]) / 2);
            for (var k = 0; k < n; k++)
            {
                accumulator[offset + k] += double.CreateTruncating(knots[offset + 2 * k]);
                accumulator[offset + n + k] += double.CreateTruncating(knots[offset + 2 * k + 1]);
            }
        }
    }

    /// <summary>
    /// The four lanes' terms for the knot variables (y, m) of their intervals k and k + 1, in <paramref name="knots"/>
    /// laid out (y_0, m_0, y_1, m_1, …): lane l adds (value0_l, slope0_l, value1_l, slope1_l) at 2k_l, as two 128-bit
    /// read-modify-writes (lanes that share a knot add in turn).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToKnots(Span<double> knots, Vector128<int> k, Vector256<double> value0, Vector256<double> slope0,
        Vector256<double> value1, Vector256<double> slope1)
    {
        var first0 = PackedPairAdjoint.UnpackLow(value0, slope0);    // (y, m) at k of lanes 0 | 2
        var first1 = PackedPairAdjoint.UnpackHigh(value0, slope0);   // … of lanes 1 | 3
        var second0 = PackedPairAdjoint.UnpackLow(value1, slope1);   // (y, m) at k + 1 of lanes 0 | 2
        var second1 = PackedPairAdjoint.UnpackHigh(value1, slope1);
        Add(knots, k.GetElement(0), first0.GetLower(), second0.GetLower());
        Add(knots, k.GetElement(1), first1.GetLower(), second1.GetLower());
        Add(knots, k.GetElement(2), first0.GetUpper(), second0.GetUpper());
        Add(knots, k.GetElement(3), first1.GetUpper(), second1.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(Span<double> knots, int k, Vector128<double> first, Vector128<double> second)
    {
        ref var at = ref MemoryMarshal.GetReference(knots.Slice(2 * k, 4));
        (Vector128.LoadUnsafe(ref at) + first).StoreUnsafe(ref at);
        (Vector128.LoadUnsafe(ref at, 2) + second).StoreUnsafe(ref at, 2);
    }
}
