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
/// A <see cref="PairForceField{TPotential}"/> whose potential parameters are trained: θ is the concatenation, over
/// type pairs a ≤ b in row order, of each pair's <see cref="IPairPotential{TSelf}.ParameterNames"/>.
/// </summary>
/// <remarks>
/// Per pair with d = xᵢ − xⱼ, s = |d|², φ = −u'/r and φ' = dφ/ds = −(u'' − u'/r)/(2s), the force Jacobian applied to
/// w is (J·w)ᵢ = Σⱼ φ (wᵢ − wⱼ) + 2φ' (d·(wᵢ − wⱼ)) d, and the parameter part is Σᵢ Σⱼ (∂φ/∂θ) (wᵢ·d) with
/// ∂φ/∂θ = −(∂u'/∂θ)/r. The reverse pass runs on one thread over its own <see cref="HalfPairList"/>, so each
/// pair is evaluated once and scattered to both partners, four pairs to a vector; the generated terms are closed forms
/// in r² (no roots or powers for Lennard-Jones).
/// </remarks>
public sealed unsafe partial class DifferentiablePairField<TPotential> : IDifferentiableForceField, IFramePairUser where TPotential : struct, IPairPotential<TPotential>
{
    private readonly bool _shift;
    private readonly int[] _pairSlot;
    private readonly int _pairSlotCount;
    private readonly HalfPairList _list;
    private readonly Vector256<double>[] _constants;
    private readonly PackedPairAdjoint _packed = new();
    private readonly PartnerSlices _double = new(4);

    /// <param name="forward">The forward field; whether its pairs are shifted (all or none) is its table's.</param>
    /// <param name="typeNames">A name per particle type, for the parameter names (epsilon[A-B]).</param>
    public DifferentiablePairField(PairForceField<TPotential> forward, IReadOnlyList<string> typeNames)
    {
        Forward = forward;
        var nt = forward.Table.TypeCount;
        if (typeNames.Count != nt) throw new ArgumentException($"the force field has {nt} particle types, but {typeNames.Count} type names were given");
        // One flag for every pair: the energy terms' gradient takes the shift's derivative for all pairs or none.
        _shift = forward.Table.Shifted[0];
        if (forward.Table.Shifted.Any(s => s != _shift))
            throw new ArgumentException("the table mixes shifted and unshifted pairs; a differentiable field shifts all of them or none");
        _pairSlot = new int[nt * nt];
        var names = new List<string>();
        var slot = 0;
        for (var a = 0; a < nt; a++)
            for (var b = a; b < nt; b++)
            {
                _pairSlot[a * nt + b] = _pairSlot[b * nt + a] = slot++;
                foreach (var p in TPotential.ParameterNames) names.Add($"{p.ToLowerInvariant()}[{typeNames[a]}-{typeNames[b]}]");
            }
        ParameterNames = names;
        _pairSlotCount = slot;
        _list = new HalfPairList(forward.MaxCutoff, Math.Min(forward.Skin, HalfPairList.ReversePassSkin));
        // At least one vector, so that the reference to a pair's first constant is valid for potentials without any.
        _constants = new Vector256<double>[Math.Max(1, nt * nt * TPotential.AdjointLaneConstantCount)];
        _singleConstants = new Vector256<float>[_constants.Length];
    }

    public PairForceField<TPotential> Forward { get; }
    public double MaxCutoff => Forward.MaxCutoff;
    public int ListBuilds => Forward.ListBuilds;

    /// <summary>Builds of the reverse pass's half list so far.</summary>
    internal int ReverseListBuilds => _list.Builds;

    public int ParameterCount => ParameterNames.Count;
    public IReadOnlyList<string> ParameterNames { get; }

    public ForceResult Compute(State state) => Forward.Compute(state);

    public bool ComputeForces(State state) => Forward.ComputeForces(state);

    public int AccumulatorLength => ParameterCount;

    public void InvalidateNeighbours()
    {
        Forward.InvalidateNeighbours();
        _list.Invalidate();
    }

    public void FinishGradient(ReadOnlySpan<double> accumulator, Span<double> parameterGradient) => accumulator.CopyTo(parameterGradient);

    public int TypeCount => Forward.Table.TypeCount;

    public double Cutoff(int a, int b) => Forward.Table.Cutoffs[a * TypeCount + b];

    public double PairEnergy(int a, int b, double r, out double derivative)
    {
        ref readonly var p = ref Forward.Table[a, b];
        derivative = p.Derivative(r);
        return p.Energy(r);
    }

    public double EnergyShift(int a, int b) => Forward.Table.Shifts[a * Forward.Table.TypeCount + b];

    public void GetParameters(Span<double> destination)
    {
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        for (var a = 0; a < nt; a++)
            for (var b = a; b < nt; b++)
                table[a, b].WriteParameters(destination.Slice(_pairSlot[a * nt + b] * np, np));
    }

    public void SetParameters(ReadOnlySpan<double> parameters)
    {
        if (parameters.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} parameters, got {parameters.Length}");
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        for (var a = 0; a < nt; a++)
            for (var b = a; b < nt; b++)
            {
                var p = TPotential.FromParameters(parameters.Slice(_pairSlot[a * nt + b] * np, np));
                table.Set(a, b, p, table.Cutoffs[a * nt + b], _shift);
            }
    }

    void IFramePairUser.OfferFramePairs(PairSearch pairs, State frameState, IReadOnlyList<State>? served) => _list.Offer(pairs, frameState, served);

    public void Backward(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        // A frame's pairs rebuild the list at the frame's positions whenever offered (the frame nearest the states to
        // come, so that its list serves them all before the displacement rule asks for a search of its own).
        _list.Update(state);
        if (UsesSinglePass)
        {
            BackwardSingle(state, wx, wy, wz, positionAdjoint, accumulator);
            return;
        }
        // The double pass (SlicePass.Double): slices of four first partners, all of one type per block, so that one
        // potential's EvaluateAdjoint (generated in s = r²) gives the four lanes' φ, dφ/ds and ∂φ/∂θ.
        var nt = Forward.Table.TypeCount;
        var np = TPotential.ParameterCount;
        var n = state.Count;
        _double.Update(_list, state.TypeOf.AsSpan(0, n), nt);
        _packed.Load(n, state.X, state.Y, state.Z, wx, wy, wz);
        PrepareConstants(_constants);
        Span<Vector256<double>> dphi = stackalloc Vector256<double>[np];
        Span<Vector256<double>> gradient = stackalloc Vector256<double>[_pairSlotCount * np];
        gradient.Clear();
        var pass = new AnalyticTerms<double>(Forward.Table, _constants, _pairSlot, dphi, gradient, default);
        SlicePass.Double(ref pass, _double, _packed, state.Box, nt);
        _packed.AddProductsTo(n, positionAdjoint.X, positionAdjoint.Y, positionAdjoint.Z);
        for (var k = 0; k < gradient.Length; k++) accumulator[k] += Vector256.Sum(gradient[k]);
    }

    /// <summary>
    /// The analytic potentials' terms in either precision: φ and dφ/ds of the generated EvaluateAdjoint, and (∂φ/∂θ)(d·u)
    /// summed per type pair into <c>terms</c>. In double those are the pass's sums; in float they are widened into the
    /// double <c>gradient</c> every <see cref="Block"/> slices, so that the float sums stay short and the widening is paid
    /// once per 16 particles instead of once a particle.
    /// </summary>
    private ref struct AnalyticTerms<T>(PairTable<TPotential> table, Vector256<T>[] constants, int[] pairSlot,
        Span<Vector256<T>> dphi, Span<Vector256<T>> terms, Span<Vector256<double>> gradient) : ISliceTerms<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int Block = 2;
        private readonly Span<Vector256<T>> _dphi = dphi, _terms = terms;
        private readonly Span<Vector256<double>> _gradient = gradient;
        private TPotential _potential;
        private ref readonly Vector256<T> _constants;
        private ref Vector256<T> _groupTerms;

        // No branch skips a vector with no lane inside, which is rare and costs less than the branch's mispredictions.
        public static bool SkipsEmptyVectors => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Begin(int pair)
        {
            _potential = table.Potentials[pair];
            _constants = ref constants[pair * TPotential.AdjointLaneConstantCount];
            _groupTerms = ref _terms[pairSlot[pair] * TPotential.ParameterCount];
            return Vector256.Create(T.CreateTruncating(table.Cutoffs[pair] * table.Cutoffs[pair]));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Evaluate(Vector256<T> s, Vector256<T> du2, Vector256<T> inside, out Vector256<T> phi, out Vector256<T> c)
        {
            Vector256<T> dphids;
            // A potential without prepared constants (hand-written) takes the plain form: the interface's default
            // prepared member would box the struct on every call. The test folds at JIT time.
            if (TPotential.AdjointLaneConstantCount > 0) _potential.EvaluateAdjoint(s, in _constants, out phi, out dphids, _dphi);
            else _potential.EvaluateAdjoint(s, out phi, out dphids, _dphi);
            phi &= inside;
            dphids &= inside;
            // 2 dφ/ds as a sum (exact, as the product by 2 is).
            c = (dphids + dphids) * du2;
            for (var p = 0; p < TPotential.ParameterCount; p++) Unsafe.Add(ref _groupTerms, p) += (_dphi[p] & inside) * du2;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void EndSlice(int slice, int count)
        {
            if (typeof(T) == typeof(float) && (slice % Block == Block - 1 || slice == count - 1))
                Widen(MemoryMarshal.Cast<Vector256<T>, Vector256<float>>(_terms), _gradient);
        }
    }

    /// <summary>
    /// Each type pair's adjoint lane constants in precision T, broadcast into <paramref name="target"/>, once per pass
    /// (the parameters change between windows): the generated EvaluateAdjoint would otherwise recompute them for every
    /// vector of pairs.
    /// </summary>
    private void PrepareConstants<T>(Vector256<T>[] target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = TPotential.AdjointLaneConstantCount;
        var potentials = Forward.Table.Potentials;
        Span<T> scalars = stackalloc T[count];
        for (var p = 0; p < potentials.Length; p++)
        {
            potentials[p].AdjointLaneConstants(scalars);
            for (var c = 0; c < count; c++) target[p * count + c] = Vector256.Create(scalars[c]);
        }
    }
}
