using DiffSim.Forces;
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
/// ∂φ/∂θ = −(∂u'/∂θ)/r. Over the full list each particle's row is summed by one thread, as in the forward kernel.
/// </remarks>
public sealed class DifferentiablePairField<TPotential> : IDifferentiableForceField where TPotential : struct, IPairPotential<TPotential>
{
    private readonly bool _shift;
    private readonly int[] _pairSlot;

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
    }

    public PairForceField<TPotential> Forward { get; }
    public double MaxCutoff => Forward.MaxCutoff;
    public int ListBuilds => Forward.ListBuilds;
    public int ParameterCount => ParameterNames.Count;
    public IReadOnlyList<string> ParameterNames { get; }

    public ForceResult Compute(State state) => Forward.Compute(state);

    public int AccumulatorLength => ParameterCount;

    public void InvalidateNeighbours() => Forward.List.Invalidate();

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
        var list = Forward.List;
        if (list.NeedsRebuild(state)) list.Build(state);
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        var box = state.Box;
        var x = state.X; var y = state.Y; var z = state.Z;
        var nb = list.Neighbours;
        var gs = list.GroupStart;
        Span<double> dphi = stackalloc double[Math.Max(np, 1)];
        for (var i = 0; i < state.Count; i++)
        {
            var ti = state.TypeOf[i];
            double jx = 0, jy = 0, jz = 0;
            for (var t = 0; t < nt; t++)
            {
                var pair = ti * nt + t;
                ref readonly var pot = ref table.Potentials[pair];
                var rc2 = table.Cutoffs[pair] * table.Cutoffs[pair];
                var grad = accumulator.Slice(_pairSlot[pair] * np, np);
                for (var k = gs[i * nt + t]; k < gs[i * nt + t + 1]; k++)
                {
                    var j = nb[k];
                    var dx = Box.MinimumImage(x[i] - x[j], box.Lx);
                    var dy = Box.MinimumImage(y[i] - y[j], box.Ly);
                    var dz = Box.MinimumImage(z[i] - z[j], box.Lz);
                    var s = dx * dx + dy * dy + dz * dz;
                    if (s >= rc2) continue;
                    var r = Math.Sqrt(s);
                    var du = pot.Derivative(r);
                    var phi = -du / r;
                    var dphids = -(pot.SecondDerivative(r) - du / r) / (2 * s);
                    double ux = wx[i] - wx[j], uy = wy[i] - wy[j], uz = wz[i] - wz[j];
                    var c = 2 * dphids * (dx * ux + dy * uy + dz * uz);
                    jx += phi * ux + c * dx;
                    jy += phi * uy + c * dy;
                    jz += phi * uz + c * dz;
                    if (np == 0) continue;
                    pot.ParameterGradientOfDerivative(r, dphi);
                    var proj = (wx[i] * dx + wy[i] * dy + wz[i] * dz) / r;
                    for (var p = 0; p < np; p++) grad[p] -= dphi[p] * proj;
                }
            }
            positionAdjoint.X[i] += jx;
            positionAdjoint.Y[i] += jy;
            positionAdjoint.Z[i] += jz;
        }
    }
}
