using DiffSim.Training;

namespace DiffSim.Tests.Ibi;

/// <summary>The IBI update rule on synthetic g(r): fixed point, sign, core fill, cutoff and pressure ramp.</summary>
public class IbiUpdateTests
{
    private static double[] Grid(int n, double r0, double rc) => Enumerable.Range(0, n).Select(k => r0 + (rc - r0) * k / (n - 1)).ToArray();

    private static double[] Rdf(double[] r, double height) => r.Select(x => x < 0.9 ? 0.0 : 1 + height * Math.Exp(-(x - 1.1) * (x - 1.1) / 0.02)).ToArray();

    [Fact]
    public void MatchingRdfGivesZeroUpdate()
    {
        var r = Grid(101, 0.5, 2.5);
        var g = Rdf(r, 1.0);
        var raw = IbiUpdate.Raw(g, g, kT: 1.2, damping: 0.3, threshold: 0.02);
        Assert.All(raw.Where(double.IsFinite), v => Assert.Equal(0.0, v));
        var du = IbiUpdate.Regularise(raw, r, smoothingPasses: 2, taperFrom: 2.25);
        Assert.All(du, v => Assert.Equal(0.0, v, 15));
    }

    [Fact]
    public void TooMuchStructureRaisesThePotentialAndTooLittleLowersIt()
    {
        var r = Grid(101, 0.5, 2.5);
        var target = Rdf(r, 1.0);
        var high = Rdf(r, 1.5);
        var low = Rdf(r, 0.5);
        var peak = Array.FindIndex(r, x => x >= 1.1);
        var up = IbiUpdate.Regularise(IbiUpdate.Raw(high, target, 1.2, 0.3, 0.02), r, 2, 2.25);
        var down = IbiUpdate.Regularise(IbiUpdate.Raw(low, target, 1.2, 0.3, 0.02), r, 2, 2.25);
        Assert.True(up[peak] > 0.05, $"Δu at the peak {up[peak]}");
        Assert.True(down[peak] < -0.05, $"Δu at the peak {down[peak]}");
        // Unsmoothed, the correction is exactly α kT ln(g/g*).
        var raw = IbiUpdate.Raw(high, target, 1.2, 0.3, 0.02);
        Assert.Equal(0.3 * 1.2 * Math.Log(high[peak] / target[peak]), raw[peak], 12);
    }

    [Fact]
    public void CoreIsFilledFlatAndTheUpdateVanishesAtTheCutoff()
    {
        var r = Grid(101, 0.5, 2.5);
        var target = Rdf(r, 1.0);
        var g = target.Select((v, k) => v * 1.1).ToArray(); // a uniform 10 % excess everywhere
        var raw = IbiUpdate.Raw(g, target, 1.0, 0.5, 0.02);
        Assert.True(double.IsNaN(raw[0]), "the core (g = 0) has no defined update");
        var du = IbiUpdate.Regularise(raw, r, 0, 2.25);
        // A uniform ratio is a constant update, which the cutoff shift removes entirely: no force changes.
        Assert.All(du, v => Assert.Equal(0.0, v, 12));
        var bump = IbiUpdate.Regularise(IbiUpdate.Raw(Rdf(r, 1.3), target, 1.0, 0.5, 0.02), r, 1, 2.25);
        Assert.Equal(bump[0], bump[5], 12);
        Assert.Equal(0.0, bump[^1]);
        Assert.Equal(0.0, bump[^2], 3);
    }

    [Fact]
    public void PressureRampOpposesThePressureError()
    {
        var tooHigh = IbiUpdate.PressureAmplitude(pressure: 1.5, targetPressure: 1.0, kT: 1.2, scale: 1.0);
        var tooLow = IbiUpdate.PressureAmplitude(0.5, 1.0, 1.2, 1.0);
        Assert.Equal(-0.1 * 1.2 * 0.5, tooHigh, 12);
        Assert.Equal(0.1 * 1.2 * 0.5, tooLow, 12);
        Assert.Equal(-0.12, IbiUpdate.PressureAmplitude(100, 1.0, 1.2, 1.0), 12); // capped at 0.1 kT
        // A < 0: the ramp A(1 − r/rc) is lowest at short range, an attraction that lowers the pressure.
        Assert.True(IbiUpdate.PressureRamp(1.0, 2.5, tooHigh) < IbiUpdate.PressureRamp(2.0, 2.5, tooHigh));
        Assert.Equal(0.0, IbiUpdate.PressureRamp(2.5, 2.5, tooHigh));
    }
}
