using DiffSim.Forces;
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
/// The reverse pass is <see cref="DifferentiablePairField{TPotential}"/>'s pair loop with u' and u'' of the table;
/// its parameter part, Σ (∂φ/∂ψ)(wᵢ·d) with ∂φ/∂ψ = −(∂u'/∂ψ)/r, touches only the four knot variables
/// (y_k, m_k, y_{k+1}, m_{k+1}) of the interval holding r (Hermite local support), so it costs no more than the
/// analytic field's.
/// </remarks>
public sealed partial class DifferentiableTableField : IDifferentiableForceField
{
    private readonly int[] _pairSlot;
    private readonly int[] _slotOffset;
    private readonly (int A, int B)[] _slotPair;

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
        _slotPair = pairs.ToArray();
        ParameterNames = names;
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

    public void InvalidateNeighbours() => Forward.InvalidateNeighbours();

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

    public double Cutoff(int a, int b) => Forward.Table.Cutoffs[a * TypeCount + b];

    public double PairEnergy(int a, int b, double r, out double derivative)
    {
        var p = Forward.Table[a, b];
        derivative = p.Derivative(r);
        return p.Energy(r);
    }

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

    public void Backward(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        var list = Forward.List;
        if (list.NeedsRebuild(state)) list.Build(state);
        var table = Forward.Table;
        var nt = table.TypeCount;
        var box = state.Box;
        var x = state.X; var y = state.Y; var z = state.Z;
        var nb = list.Neighbours;
        var gs = list.GroupStart;
        for (var i = 0; i < state.Count; i++)
        {
            var ti = state.TypeOf[i];
            double jx = 0, jy = 0, jz = 0;
            for (var t = 0; t < nt; t++)
            {
                var pair = ti * nt + t;
                var pot = table.Potentials[pair];
                var rc2 = table.Cutoffs[pair] * table.Cutoffs[pair];
                var slot = _pairSlot[pair];
                var n = pot.Count;
                var gy = accumulator.Slice(_slotOffset[slot], n);
                var gm = accumulator.Slice(_slotOffset[slot] + n, n);
                for (var q = gs[i * nt + t]; q < gs[i * nt + t + 1]; q++)
                {
                    var j = nb[q];
                    var dx = Box.MinimumImage(x[i] - x[j], box.Lx);
                    var dy = Box.MinimumImage(y[i] - y[j], box.Ly);
                    var dz = Box.MinimumImage(z[i] - z[j], box.Lz);
                    var s = dx * dx + dy * dy + dz * dz;
                    if (s >= rc2) continue;
                    var r = Math.Sqrt(s);
                    if (!pot.DerivativeJet(r, out var k, out var du, out var d2u, out var wk)) continue;
                    var phi = -du / r;
                    var dphids = -(d2u - du / r) / (2 * s);
                    double ux = wx[i] - wx[j], uy = wy[i] - wy[j], uz = wz[i] - wz[j];
                    var c = 2 * dphids * (dx * ux + dy * uy + dz * uz);
                    jx += phi * ux + c * dx;
                    jy += phi * uy + c * dy;
                    jz += phi * uz + c * dz;
                    var proj = (wx[i] * dx + wy[i] * dy + wz[i] * dz) / r;
                    gy[k] -= wk.Value0 * proj;
                    gm[k] -= wk.Slope0 * proj;
                    gy[k + 1] -= wk.Value1 * proj;
                    gm[k + 1] -= wk.Slope1 * proj;
                }
            }
            positionAdjoint.X[i] += jx;
            positionAdjoint.Y[i] += jy;
            positionAdjoint.Z[i] += jz;
        }
    }
}
