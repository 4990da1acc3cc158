using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffSim.Forces;
using static DiffSim.Adjoint.PartnerLanes;
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

    public DifferentiablePairField(PairForceField<TPotential> forward, bool shift, IReadOnlyList<string> typeNames)
    {
        Forward = forward;
        _shift = shift;
        var nt = forward.Table.TypeCount;
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

    void IFramePairUser.OfferFramePairs(PairSearch pairs, State frameState) => _list.Offer(pairs, frameState);

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
        // Pair (i, j) of the half list adds its term to i and subtracts it from j (u = wᵢ − wⱼ and d change sign
        // together), and adds (∂φ/∂θ)(d·u) to the gradient once. The list runs as slices of four first partners i
        // (PartnerSlices), each lane its own partners j, all of one type per block, so one potential's EvaluateAdjoint
        // (generated in s = r²) gives the four lanes' φ, dφ/ds and ∂φ/∂θ; the i sums stay in the lanes until the slice
        // ends, the j terms are scattered into the packed products (PackedPairAdjoint). Lanes past their particle's
        // partners (which read the particle itself), or beyond the cutoff, are masked to zero.
        const int width = 4;
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        var n = state.Count;
        var slices = _double;
        slices.Update(_list, state.TypeOf.AsSpan(0, n), nt);
        ref var particles = ref MemoryMarshal.GetArrayDataReference(slices.Particles);
        ref var blockStart = ref MemoryMarshal.GetArrayDataReference(slices.BlockStart);
        ref var entries = ref MemoryMarshal.GetArrayDataReference(slices.Entries);
        ref var partners = ref MemoryMarshal.GetArrayDataReference(slices.Counts);
        var packed = _packed;
        packed.Load(n, state.X, state.Y, state.Z, wx, wy, wz);
        var rows = packed.Rows;
        var products = packed.Products;
        var periodic = new PeriodicLanes(state.Box);
        PrepareConstants();
        var one = Vector256<double>.One;
        Span<Vector256<double>> dphi = stackalloc Vector256<double>[np];
        Span<Vector256<double>> gradient = stackalloc Vector256<double>[_pairSlotCount * np];
        gradient.Clear();
        for (var sl = 0; sl < slices.SliceCount; sl++)
        {
            PackedPairAdjoint.Offsets(ref particles, sl * width, out var i0, out var i1, out var i2, out var i3);
            PackedPairAdjoint.Gather(rows, i0, i1, i2, i3, out var xi, out var yi, out var zi, out var uxi, out var uyi, out var uzi);
            Vector256<double> jxi = default, jyi = default, jzi = default;
            for (var t = 0; t < nt; t++)
            {
                var group = sl * nt + t;
                var pair = slices.SliceType[sl] * nt + t;
                var potential = table.Potentials[pair];
                ref readonly var constants = ref _constants[pair * TPotential.AdjointLaneConstantCount];
                var cut2 = Vector256.Create(table.Cutoffs[pair] * table.Cutoffs[pair]);
                ref var groupGradient = ref gradient[_pairSlot[pair] * np];
                var counts = Counts(ref Unsafe.Add(ref partners, group * width));
                var step = Vector256<double>.Zero;
                var end = Unsafe.Add(ref blockStart, group + 1);
                for (var q = Unsafe.Add(ref blockStart, group); q < end; q += width, step += one)
                {
                    PackedPairAdjoint.Offsets(ref entries, q, out var o0, out var o1, out var o2, out var o3);
                    PackedPairAdjoint.Gather(rows, o0, o1, o2, o3, out var xj, out var yj, out var zj, out var uxj, out var uyj, out var uzj);
                    var dx = xi - xj; var dy = yi - yj; var dz = zi - zj;
                    var s = periodic.MinimumImage(ref dx, ref dy, ref dz);
                    // No branch skips a vector with no lane inside, which is rare and costs less than the branch's
                    // mispredictions.
                    var inside = Vector256.LessThan(s, cut2) & Vector256.LessThan(step, counts);
                    // A potential without prepared constants (hand-written) takes the plain form: the interface's
                    // default prepared member would box the struct on every call. The test folds at JIT time.
                    Vector256<double> phi, dphids;
                    if (TPotential.AdjointLaneConstantCount > 0) potential.EvaluateAdjoint(s, in constants, out phi, out dphids, dphi);
                    else potential.EvaluateAdjoint(s, out phi, out dphids, dphi);
                    phi &= inside;
                    dphids &= inside;
                    var ux = uxi - uxj; var uy = uyi - uyj; var uz = uzi - uzj;
                    var du2 = dx * ux + dy * uy + dz * uz;
                    var c = Vector256.Create(2.0) * dphids * du2;
                    var jx = phi * ux + c * dx; var jy = phi * uy + c * dy; var jz = phi * uz + c * dz;
                    jxi += jx; jyi += jy; jzi += jz;
                    PackedPairAdjoint.Subtract(products, o0, o1, o2, o3, jx, jy, jz);
                    for (var p = 0; p < np; p++) Unsafe.Add(ref groupGradient, p) += (dphi[p] & inside) * du2;
                }
            }
            PackedPairAdjoint.Subtract(products, i0, i1, i2, i3, -jxi, -jyi, -jzi);
        }
        packed.AddProductsTo(n, positionAdjoint.X, positionAdjoint.Y, positionAdjoint.Z);
        for (var k = 0; k < gradient.Length; k++) accumulator[k] += Vector256.Sum(gradient[k]);
    }

    /// <summary>
    /// Each type pair's adjoint lane constants, broadcast, once per pass (the parameters change between windows): the
    /// generated EvaluateAdjoint would otherwise recompute them for every four pairs.
    /// </summary>
    private void PrepareConstants()
    {
        var count = TPotential.AdjointLaneConstantCount;
        var potentials = Forward.Table.Potentials;
        Span<double> scalars = stackalloc double[count];
        for (var p = 0; p < potentials.Length; p++)
        {
            potentials[p].AdjointLaneConstants(scalars);
            for (var c = 0; c < count; c++) _constants[p * count + c] = Vector256.Create(scalars[c]);
        }
    }
}
