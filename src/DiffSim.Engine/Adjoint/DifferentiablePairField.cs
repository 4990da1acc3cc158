using System.Runtime.CompilerServices;
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
public sealed class DifferentiablePairField<TPotential> : IDifferentiableForceField where TPotential : struct, IPairPotential<TPotential>
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
        Forward.List.Invalidate();
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
        if (typeof(TPotential) == typeof(LennardJones)) BackwardLennardJones(state, wx, wy, wz, positionAdjoint, accumulator);
        else BackwardGeneric(state, wx, wy, wz, positionAdjoint, accumulator);
    }

    /// <summary>
    /// Any potential, through its r-based members, over the half list: pair (i, j) adds its term to i and subtracts
    /// it from j (u = wᵢ − wⱼ and d change sign together), and adds (∂φ/∂θ)(d·u) to the gradient once.
    /// </summary>
    private void BackwardGeneric(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        var table = Forward.Table;
        var nt = table.TypeCount;
        var np = TPotential.ParameterCount;
        var box = state.Box;
        var x = state.X; var y = state.Y; var z = state.Z;
        var type = state.TypeOf;
        var ax = positionAdjoint.X; var ay = positionAdjoint.Y; var az = positionAdjoint.Z;
        var pi = _list.I; var pj = _list.J;
        Span<double> dphi = stackalloc double[Math.Max(np, 1)];
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
            ref readonly var pot = ref table.Potentials[pair];
            var r = Math.Sqrt(s);
            var du = pot.Derivative(r);
            var phi = -du / r;
            var dphids = -(pot.SecondDerivative(r) - du / r) / (2 * s);
            double ux = wx[i] - wx[j], uy = wy[i] - wy[j], uz = wz[i] - wz[j];
            var du2 = dx * ux + dy * uy + dz * uz;
            var c = 2 * dphids * du2;
            double jx = phi * ux + c * dx, jy = phi * uy + c * dy, jz = phi * uz + c * dz;
            ax[i] += jx; ay[i] += jy; az[i] += jz;
            ax[j] -= jx; ay[j] -= jy; az[j] -= jz;
            if (np == 0) continue;
            pot.ParameterGradientOfDerivative(r, dphi);
            var grad = accumulator.Slice(_pairSlot[pair] * np, np);
            var proj = du2 / r;
            for (var p = 0; p < np; p++) grad[p] -= dphi[p] * proj;
        }
    }

    /// <summary>
    /// Lennard-Jones in s = r², no square root or power: with a = σ²/s, a₃ = a³, a₆ = a₃², φ = 24ε(2a₆ − a₃)/s,
    /// dφ/ds = −48ε(7a₆ − 2a₃)/s², ∂φ/∂ε = 24(2a₆ − a₃)/s and ∂φ/∂σ = 144ε(4a₆ − a₃)/(sσ).
    /// </summary>
    private void BackwardLennardJones(State state, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, ReadOnlySpan<double> wz,
        PhaseSpaceGradient positionAdjoint, Span<double> accumulator)
    {
        var table = Forward.Table;
        var nt = table.TypeCount;
        var pairs = nt * nt;
        if (_ljEpsilon.Length != pairs) { _ljEpsilon = new double[pairs]; _ljSigma2 = new double[pairs]; _ljCut2 = new double[pairs]; _ljSums = new double[2 * pairs]; }
        for (var p = 0; p < pairs; p++)
        {
            var lj = Unsafe.As<TPotential, LennardJones>(ref table.Potentials[p]);
            _ljEpsilon[p] = lj.Epsilon;
            _ljSigma2[p] = lj.Sigma * lj.Sigma;
            _ljCut2[p] = table.Cutoffs[p] * table.Cutoffs[p];
        }
        Array.Clear(_ljSums);
        var box = state.Box;
        double lx = box.Lx, ly = box.Ly, lz = box.Lz;
        double ilx = 1 / lx, ily = 1 / ly, ilz = 1 / lz;
        var x = state.X; var y = state.Y; var z = state.Z;
        var type = state.TypeOf;
        var ax = positionAdjoint.X; var ay = positionAdjoint.Y; var az = positionAdjoint.Z;
        var pi = _list.I; var pj = _list.J;
        var eps = _ljEpsilon; var sig2 = _ljSigma2; var cut2 = _ljCut2; var sums = _ljSums;
        var count = _list.Count;
        for (var k = 0; k < count; k++)
        {
            int i = pi[k], j = pj[k];
            var pair = nt == 1 ? 0 : type[i] * nt + type[j];
            var dx = x[i] - x[j]; dx -= lx * Math.Round(dx * ilx);
            var dy = y[i] - y[j]; dy -= ly * Math.Round(dy * ily);
            var dz = z[i] - z[j]; dz -= lz * Math.Round(dz * ilz);
            var s = dx * dx + dy * dy + dz * dz;
            if (s >= cut2[pair]) continue;
            var inv = 1 / s;
            var a = sig2[pair] * inv;
            var a3 = a * a * a;
            var a6 = a3 * a3;
            var e = eps[pair];
            var phi = 24 * e * (2 * a6 - a3) * inv;
            var dphids = -48 * e * (7 * a6 - 2 * a3) * inv * inv;
            double ux = wx[i] - wx[j], uy = wy[i] - wy[j], uz = wz[i] - wz[j];
            var du = dx * ux + dy * uy + dz * uz;
            var c = 2 * dphids * du;
            double jx = phi * ux + c * dx, jy = phi * uy + c * dy, jz = phi * uz + c * dz;
            ax[i] += jx; ay[i] += jy; az[i] += jz;
            ax[j] -= jx; ay[j] -= jy; az[j] -= jz;
            sums[2 * pair] += (2 * a6 - a3) * inv * du;
            sums[2 * pair + 1] += e * (4 * a6 - a3) * inv * du;
        }
        // θ of a type pair is (ε, σ); the list holds (a, b) and (b, a) pairs under either order, so both fold into one slot.
        for (var p = 0; p < pairs; p++)
        {
            if (sums[2 * p] == 0 && sums[2 * p + 1] == 0) continue;
            var sigma = Math.Sqrt(sig2[p]);
            var slot = _pairSlot[p] * 2;
            accumulator[slot] += 24 * sums[2 * p];
            accumulator[slot + 1] += 144 * sums[2 * p + 1] / sigma;
        }
    }

    private double[] _ljEpsilon = [], _ljSigma2 = [], _ljCut2 = [], _ljSums = [];
}
