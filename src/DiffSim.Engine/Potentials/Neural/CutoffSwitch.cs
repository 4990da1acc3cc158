namespace DiffSim.Potentials.Neural;

/// <summary>
/// A smooth switch S(r): 1 up to r_on, 1 − x³(10 − 15x + 6x²) with x = (r − r_on)/(r_c − r_on) between, 0 from r_c on.
/// S, S' and S'' are continuous and S'(r_c) = S''(r_c) = 0, so u = S·v and u' vanish at the cutoff for any v:
/// no energy or force jump there, whatever the network does.
/// </summary>
public readonly record struct CutoffSwitch
{
    public CutoffSwitch(double on, double cutoff)
    {
        if (!(cutoff > 0) || !(on >= 0) || !(on < cutoff)) throw new ArgumentException($"switch needs 0 ≤ r_on < r_c, got r_on = {on}, r_c = {cutoff}");
        On = on;
        Cutoff = cutoff;
    }

    public double On { get; }
    public double Cutoff { get; }

    /// <summary>S(r), and S'(r) in <paramref name="derivative"/>.</summary>
    public double Value(double r, out double derivative)
    {
        if (r <= On) { derivative = 0; return 1; }
        if (r >= Cutoff) { derivative = 0; return 0; }
        var w = Cutoff - On;
        var x = (r - On) / w;
        var x2 = x * x;
        derivative = -30 * x2 * (1 - x) * (1 - x) / w;
        return 1 - x2 * x * (10 - 15 * x + 6 * x2);
    }
}
