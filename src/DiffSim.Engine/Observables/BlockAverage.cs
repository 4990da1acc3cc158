namespace DiffSim.Observables;

/// <summary>
/// The mean of a time series and its standard error by block averaging.
/// </summary>
/// <remarks>
/// Successive MD samples are correlated, so the naive σ/√n underestimates the error. Block averaging
/// (Flyvbjerg and Petersen, J. Chem. Phys. 91, 461 (1989); Allen and Tildesley, §8.4) cuts the series into
/// B contiguous blocks of equal length L = ⌊n/B⌋; when L is longer than the correlation time the block means
/// m_b are nearly independent, and the standard error of the mean is
/// SE = √( Σ_b (m_b − m̄)² / (B (B − 1)) ), m̄ being the mean of the block means.
/// The first n − B·L samples are left out of the blocks (not of <see cref="Mean"/>), so the blocks end at the last sample.
/// With fewer samples than blocks, each sample is its own block (the naive estimate); with one sample the error is NaN.
/// </remarks>
public sealed class BlockAverage
{
    /// <summary>Blocks used when none is given: enough for a usable spread, few enough for blocks longer than typical correlation times.</summary>
    public const int DefaultBlocks = 10;

    private readonly List<double> _samples = [];
    private double _sum;

    public BlockAverage(int blocks = DefaultBlocks)
    {
        if (blocks < 2) throw new ArgumentException($"block averaging needs at least 2 blocks, got {blocks}");
        Blocks = blocks;
    }

    /// <summary>Number of blocks B.</summary>
    public int Blocks { get; }

    public int Count => _samples.Count;

    public IReadOnlyList<double> Samples => _samples;

    public void Add(double value)
    {
        _samples.Add(value);
        _sum += value;
    }

    /// <summary>Mean of all samples; NaN when there are none.</summary>
    public double Mean => _samples.Count == 0 ? double.NaN : _sum / _samples.Count;

    /// <summary>Standard error of <see cref="Mean"/> from <see cref="Blocks"/> block means (see remarks).</summary>
    public double StandardError => StandardErrorOf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_samples), Blocks);

    /// <summary>Standard error of the mean of <paramref name="samples"/> from <paramref name="blocks"/> block means.</summary>
    public static double StandardErrorOf(ReadOnlySpan<double> samples, int blocks = DefaultBlocks)
    {
        var n = samples.Length;
        if (n < 2) return double.NaN;
        var b = Math.Min(blocks, n);
        var length = n / b;
        var first = n - b * length;
        Span<double> means = b <= 256 ? stackalloc double[b] : new double[b];
        var grand = 0.0;
        for (var k = 0; k < b; k++)
        {
            var s = 0.0;
            foreach (var v in samples.Slice(first + k * length, length)) s += v;
            means[k] = s / length;
            grand += means[k];
        }
        grand /= b;
        var ss = 0.0;
        foreach (var m in means) ss += (m - grand) * (m - grand);
        return Math.Sqrt(ss / (b * (double)(b - 1)));
    }
}
