using DiffSim.Observables;

namespace DiffSim.Losses;

/// <summary>
/// Mean squared error between a simulated RDF (all partials, laid out as <see cref="SmearedRdf.Value"/>) and a target,
/// over the bins whose centre lies in [r_lo, r_hi]:
/// L = Σ_p λ_p (1/M) Σ_{k: r_lo ≤ r_k ≤ r_hi} w_k (g_p(r_k) − g_p^target(r_k))², with M the number of bins in range.
/// </summary>
/// <remarks>
/// With unit weights each partial's term is its plain MSE over the range. A partial whose target is null is not fitted
/// (λ_p = 0). Targets outside the range are never read (they may be NaN, as <see cref="IO.RdfTarget.OnGrid"/> leaves them).
/// </remarks>
public sealed class RdfMseLoss : IWindowLoss
{
    private readonly WeightedSquaredError _core;

    /// <param name="centres">Bin centres r_k of the simulated RDF (length B).</param>
    /// <param name="targets">One target per partial (each length B, on the same centres), or null for a partial not fitted.</param>
    /// <param name="rLo">Lower end of the fitted range.</param>
    /// <param name="rHi">Upper end of the fitted range.</param>
    /// <param name="binWeights">Optional weight w_k ≥ 0 per bin (length B); 1 when omitted.</param>
    /// <param name="partialWeights">Optional weight λ_p ≥ 0 per partial; 1 when omitted.</param>
    public RdfMseLoss(IReadOnlyList<double> centres, IReadOnlyList<double[]?> targets, double rLo, double rHi,
        IReadOnlyList<double>? binWeights = null, IReadOnlyList<double>? partialWeights = null)
    {
        var bins = centres.Count;
        if (targets.Count == 0) throw new ArgumentException("rdf loss needs at least one partial");
        if (!(rHi >= rLo)) throw new ArgumentException($"rdf loss range [{rLo}, {rHi}] is empty");
        if (binWeights is not null && binWeights.Count != bins) throw new ArgumentException($"rdf loss has {binWeights.Count} bin weights for {bins} bins");
        if (partialWeights is not null && partialWeights.Count != targets.Count) throw new ArgumentException($"rdf loss has {partialWeights.Count} partial weights for {targets.Count} partials");
        var inRange = 0;
        for (var k = 0; k < bins; k++) if (centres[k] >= rLo && centres[k] <= rHi) inRange++;
        if (inRange == 0) throw new ArgumentException($"rdf loss range [{rLo}, {rHi}] contains no bin centre (bins from {centres[0]} to {centres[^1]})");
        if (targets.All(t => t is null)) throw new ArgumentException("rdf loss: every partial's target is null, nothing to fit");

        var target = new double[targets.Count * bins];
        var weight = new double[targets.Count * bins];
        for (var p = 0; p < targets.Count; p++)
        {
            var t = targets[p];
            if (t is null) { target.AsSpan(p * bins, bins).Fill(double.NaN); continue; }
            if (t.Length != bins) throw new ArgumentException($"rdf loss: target of partial {p} has {t.Length} values for {bins} bins");
            var lambda = partialWeights?[p] ?? 1.0;
            for (var k = 0; k < bins; k++)
            {
                target[p * bins + k] = t[k];
                if (centres[k] < rLo || centres[k] > rHi) continue;
                if (!double.IsFinite(t[k])) throw new ArgumentException($"rdf loss: target of partial {p} is {t[k]} at r = {centres[k]}, inside the fitted range [{rLo}, {rHi}]");
                weight[p * bins + k] = lambda * (binWeights?[k] ?? 1.0) / inRange;
            }
        }
        _core = new WeightedSquaredError(target, weight);
        Bins = bins;
        BinsInRange = inRange;
    }

    /// <summary>A loss laid out for <paramref name="rdf"/>'s value, targets given per partial in its <see cref="SmearedRdf.PairOrder"/>.</summary>
    public static RdfMseLoss For(SmearedRdf rdf, IReadOnlyList<double[]?> targets, double rLo, double rHi,
        IReadOnlyList<double>? binWeights = null, IReadOnlyList<double>? partialWeights = null)
    {
        if (targets.Count != rdf.PartialCount) throw new ArgumentException($"rdf loss: {targets.Count} targets for the {rdf.PartialCount} partials of the rdf");
        return new RdfMseLoss(rdf.Centres, targets, rLo, rHi, binWeights, partialWeights);
    }

    /// <summary>
    /// A loss for <paramref name="rdf"/> against a target file's partials, found by type pair (<see cref="IO.RdfTarget.ColumnsOfPairs"/>)
    /// and interpolated onto the rdf's bins over [<paramref name="rLo"/>, <paramref name="rHi"/>], the fitted range.
    /// </summary>
    public static RdfMseLoss For(SmearedRdf rdf, IO.RdfTarget target, IReadOnlyList<string> typeNames, double rLo, double rHi)
        => For(rdf, target.ColumnsOfPairs(typeNames).Select(c => (double[]?)target.OnGrid(c, rdf.Centres, rLo, rHi)).ToList(), rLo, rHi);

    public int Length => _core.Length;

    /// <summary>Bins per partial.</summary>
    public int Bins { get; }

    /// <summary>Number of bins M whose centre lies in the fitted range.</summary>
    public int BinsInRange { get; }

    public double Evaluate(ReadOnlySpan<double> value, Span<double> dLossdValue) => _core.Evaluate(value, dLossdValue);
}
