using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Observables;

/// <summary>
/// Counts of particle pairs by distance bin and type pair, over the pairs closer than r_max (minimum image),
/// and their normalisation to g_ab(r). Shared by the plain and the smeared RDF, so both normalise the same way.
/// </summary>
/// <remarks>
/// g_ab(r) = V ⟨n_ab(r)⟩ / (N_a N_b' ΔV(r)), with n_ab the ordered-pair count in the shell of volume ΔV and
/// N_b' = N_b − δ_ab (as LAMMPS <c>compute rdf</c>).
/// </remarks>
public sealed class PairHistogram
{
    private readonly CellList _cells = new();
    private readonly PairSearch _search = new();

    /// <param name="bins">Bins of width rMax/bins from r = 0.</param>
    /// <param name="rMax">Outer edge in length units; at most half the box's shortest edge.</param>
    /// <param name="typeCount">Particle types: every partial g_ab is counted.</param>
    public PairHistogram(int bins, double rMax, int typeCount)
    {
        if (bins < 1) throw new ArgumentException($"rdf bins must be at least 1, got {bins}");
        if (!(rMax > 0)) throw new ArgumentException($"rdf rmax must be positive, got {rMax}");
        Bins = bins;
        RMax = rMax;
        TypeCount = typeCount;
        Counts = new double[typeCount * typeCount * bins];
    }

    public int Bins { get; }
    public double RMax { get; }
    public int TypeCount { get; }
    public double BinWidth => RMax / Bins;

    /// <summary>Ordered-pair counts [a, b, bin], summed over frames.</summary>
    public double[] Counts { get; }

    public int Frames { get; private set; }

    /// <summary>Bin centres.</summary>
    public double[] Centres() => Enumerable.Range(0, Bins).Select(k => (k + 0.5) * BinWidth).ToArray();

    /// <summary>
    /// Visits every ordered pair (i, j ≠ i) closer than r_max with their minimum-image distance: all N² pairs through a
    /// delegate, the brute-force reference that tests check the fast searches against.
    /// </summary>
    internal void ForEachPair(State state, Action<int, int, double, double, double, double> visit)
    {
        state.Box.EnsureFits(RMax);
        var box = state.Box;
        var n = state.Count;
        double[] xs = new double[n], ys = new double[n], zs = new double[n];
        for (var i = 0; i < n; i++)
        {
            xs[i] = Box.Wrap(state.X[i], box.Lx); ys[i] = Box.Wrap(state.Y[i], box.Ly); zs[i] = Box.Wrap(state.Z[i], box.Lz);
        }
        _cells.Build(xs, ys, zs, box, RMax);
        var r2max = RMax * RMax;
        Span<int> stencil = stackalloc int[27];
        for (var i = 0; i < n; i++)
        {
            if (_cells.HasFullStencil)
            {
                _cells.Stencil(_cells.CellOf[i], stencil);
                foreach (var c in stencil)
                    for (var k = _cells.Start[c]; k < _cells.Start[c + 1]; k++) Visit(i, _cells.Sorted[k], xs, ys, zs);
            }
            else
            {
                for (var j = 0; j < n; j++) Visit(i, j, xs, ys, zs);
            }
        }

        void Visit(int i, int j, double[] x, double[] y, double[] z)
        {
            if (i == j) return;
            var dx = Box.MinimumImage(x[i] - x[j], box.Lx);
            var dy = Box.MinimumImage(y[i] - y[j], box.Ly);
            var dz = Box.MinimumImage(z[i] - z[j], box.Lz);
            var r2 = dx * dx + dy * dy + dz * dz;
            if (r2 < r2max) visit(i, j, Math.Sqrt(r2), dx, dy, dz);
        }
    }

    /// <summary>Adds one frame's pair counts.</summary>
    public void Accumulate(State state)
    {
        var visitor = new CountVisitor(Counts, state.TypeOf, TypeCount, Bins, 1.0 / BinWidth);
        _search.ForEachUniquePair(state, RMax, ref visitor);
        Frames++;
    }

    /// <summary>Each unordered pair is the two ordered pairs (i, j) and (j, i): one count in [t_i, t_j] and one in [t_j, t_i].</summary>
    private readonly struct CountVisitor(double[] counts, int[] types, int typeCount, int bins, double inverseWidth) : IPairVisitor
    {
        public void Visit(int i, int j, double r, double dx, double dy, double dz)
        {
            var bin = (int)(r * inverseWidth);
            if (bin >= bins) return;
            int a = types[i], b = types[j];
            counts[(a * typeCount + b) * bins + bin] += 1;
            counts[(b * typeCount + a) * bins + bin] += 1;
        }
    }

    /// <summary>
    /// The normalisation factor that turns an ordered-pair count of one frame in bin k of pair (a, b) into g_ab:
    /// V / (N_a N_b' ΔV_k).
    /// </summary>
    public static double Normalisation(State state, int a, int b, double rLow, double rHigh)
        => Normalisation(state.Box.Volume, state.CountOfType(a), state.CountOfType(b), a == b, rLow, rHigh);

    /// <summary><see cref="Normalisation(State, int, int, double, double)"/> from the volume and the two type counts.</summary>
    internal static double Normalisation(double volume, int countA, int countB, bool sameType, double rLow, double rHigh)
    {
        var nb = countB - (sameType ? 1 : 0);
        var shell = 4.0 / 3.0 * Math.PI * (rHigh * rHigh * rHigh - rLow * rLow * rLow);
        return countA > 0 && nb > 0 ? volume / (countA * (double)nb * shell) : 0.0;
    }

    /// <summary>g_ab(r) averaged over the frames accumulated so far.</summary>
    public double[] Rdf(State state, int a, int b)
    {
        var g = new double[Bins];
        if (Frames == 0) return g;
        for (var k = 0; k < Bins; k++)
        {
            var norm = Normalisation(state, a, b, k * BinWidth, (k + 1) * BinWidth);
            g[k] = Counts[(a * TypeCount + b) * Bins + k] * norm / Frames;
        }
        return g;
    }

    public void Reset()
    {
        Array.Clear(Counts);
        Frames = 0;
    }
}
