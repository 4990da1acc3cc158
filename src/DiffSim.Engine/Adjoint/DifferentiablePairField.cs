using DiffSim.Forces;
using DiffSim.Neighbours;
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
/// pair is evaluated once and scattered to both partners; Lennard-Jones has a closed form in r² (no roots or powers).
/// </remarks>
public sealed partial class DifferentiablePairField<TPotential> : IDifferentiableForceField where TPotential : struct, IPairPotential<TPotential>
{
    private readonly bool _shift;
    private readonly int[] _pairSlot;
    private readonly HalfPairList _list;

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
        _list = new HalfPairList(forward.MaxCutoff, forward.List.Skin);
    }

    public PairForceField<TPotential> Forward { get; }
    public double MaxCutoff => Forward.MaxCutoff;
    public int ListBuilds => Forward.ListBuilds;
    public int ParameterCount => ParameterNames.Count;
    public IReadOnlyList<string> ParameterNames { get; }

    public ForceResult Compute(State state) => Forward.Compute(state);

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

    public void Backward(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        if (_list.NeedsRebuild(state)) _list.Build(state);
        // Over the half list, pair (i, j) adds its term to i and subtracts it from j (u = wᵢ − wⱼ and d change sign
        // together), and adds (∂φ/∂θ)(d·u) to the gradient once. The per-pair terms come from the potential's
        // EvaluateAdjoint: generated in s = r² for [PairPotential] structs.
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        var box = state.Box;
        var x = state.X; var y = state.Y; var z = state.Z;
        var type = state.TypeOf;
        var ax = positionAdjoint.X; var ay = positionAdjoint.Y; var az = positionAdjoint.Z;
        var pi = _list.I; var pj = _list.J;
        Span<double> dphi = stackalloc double[np];
        for (var k = 0; k < _list.Count; k++)
        {
            int i = pi[k], j = pj[k];
            var pair = type[i] * nt + type[j];
            var rc = table.Cutoffs[pair];
            var dx = Box.MinimumImage(x[i] - x[j], box.Lx);
            var dy = Box.MinimumImage(y[i] - y[j], box.Ly);
            var dz = Box.MinimumImage(z[i] - z[j], box.Lz);
            var s = dx * dx + dy * dy + dz * dz;
            if (s >= rc * rc) continue;
            table.Potentials[pair].EvaluateAdjoint(s, out var phi, out var dphids, dphi);
            double ux = wx[i] - wx[j], uy = wy[i] - wy[j], uz = wz[i] - wz[j];
            var du2 = dx * ux + dy * uy + dz * uz;
            var c = 2 * dphids * du2;
            double jx = phi * ux + c * dx, jy = phi * uy + c * dy, jz = phi * uz + c * dz;
            ax[i] += jx; ay[i] += jy; az[i] += jz;
            ax[j] -= jx; ay[j] -= jy; az[j] -= jz;
            if (np == 0) continue;
            var grad = accumulator.Slice(_pairSlot[pair] * np, np);
            for (var p = 0; p < np; p++) grad[p] += dphi[p] * du2;
        }
    }
}
