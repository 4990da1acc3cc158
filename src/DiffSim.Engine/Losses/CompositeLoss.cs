using DiffSim.Observables;

namespace DiffSim.Losses;

/// <summary>
/// A state point's loss as a sum of named terms (the RDF's MSE, a pressure or energy target, a VACF's MSE), each on a
/// slice of one observable; it keeps each term's value from the last evaluation, for logging them apart.
/// </summary>
/// <remarks>
/// <see cref="Evaluate"/> has the shape of <see cref="Adjoint.WindowLoss"/>. Terms on the same entries add their
/// gradients. Not thread-safe: one instance per state point, as the trainer runs them.
/// </remarks>
public sealed class CompositeLoss
{
    private readonly LossTerm[] _terms;
    private readonly double[] _last;

    public CompositeLoss(IReadOnlyList<LossTerm> terms)
    {
        if (terms.Count == 0) throw new ArgumentException("a loss needs at least one term");
        var duplicate = terms.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"loss term \"{duplicate.Key}\" is given {duplicate.Count()} times");
        foreach (var t in terms)
            if (t.Observable < 0 || t.Offset < 0) throw new ArgumentException($"loss term \"{t.Name}\": observable {t.Observable} and offset {t.Offset} must be non-negative");
        _terms = [.. terms];
        _last = new double[terms.Count];
        Array.Fill(_last, double.NaN);
    }

    public IReadOnlyList<LossTerm> Terms => _terms;

    /// <summary>Each term's value at the last <see cref="Evaluate"/> (NaN before the first), in <see cref="Terms"/> order.</summary>
    public ReadOnlySpan<double> LastValues => _last;

    public double Evaluate(IReadOnlyList<IWindowObservable> observables, double[][] dLossdValue)
    {
        foreach (var d in dLossdValue) Array.Clear(d);
        var total = 0.0;
        for (var k = 0; k < _terms.Length; k++)
        {
            var (name, o, offset, loss) = _terms[k];
            if (o >= observables.Count) throw new ArgumentException($"loss term \"{name}\" reads observable {o}, but the window has {observables.Count}");
            var value = observables[o].Value;
            if (offset + loss.Length > value.Length)
                throw new ArgumentException($"loss term \"{name}\" reads entries {offset}…{offset + loss.Length - 1} of an observable of length {value.Length}");
            var d = new double[loss.Length];
            _last[k] = loss.Evaluate(value.Slice(offset, loss.Length), d);
            for (var q = 0; q < d.Length; q++) dLossdValue[o][offset + q] += d[q];
            total += _last[k];
        }
        return total;
    }
}
