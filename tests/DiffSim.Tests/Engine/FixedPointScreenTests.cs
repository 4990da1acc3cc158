using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffSim.Neighbours;
using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>
/// The pair searches' fixed-point screen: it must pass every pair within the cutoff (the double-precision test drops
/// the rest), and pass few beyond it, or it screens nothing.
/// </summary>
public class FixedPointScreenTests
{
    /// <summary>
    /// Random pairs in cubic and elongated boxes, with coordinates at an edge's start and just below its end, and at
    /// half the edge apart; cutoffs from a tenth of the shortest edge to past half the longest. Every pair whose
    /// minimum-image distance is below the cutoff is a hit; every hit is within 5 screen units (2 L_max/2¹⁶) plus
    /// rounding past it.
    /// </summary>
    [Theory]
    [InlineData(9.49, 9.49, 9.49)]
    [InlineData(10.0, 4.1, 7.3)]
    [InlineData(3.0, 30.0, 3.0)]
    [InlineData(1e-3, 1.2e-3, 0.9e-3)]
    public void PassesEveryPairWithinTheCutoffAndFewBeyond(double lx, double ly, double lz)
    {
        if (!Avx2.IsSupported) return;
        var box = new Box(lx, ly, lz);
        var random = new Random(7);
        const int n = 1024;
        var (x, y, z) = (new double[n], new double[n], new double[n]);
        double Coordinate(double l) => random.Next(8) switch
        {
            0 => 0.0,
            1 => Math.BitDecrement(l),
            2 => 0.5 * l,
            _ => l * random.NextDouble(),
        };
        for (var i = 0; i < n; i++) (x[i], y[i], z[i]) = (Coordinate(lx), Coordinate(ly), Coordinate(lz));
        var (sx, sy, sz) = FixedPointScreen.Scales(box);
        var xy = new int[n + 8];
        var zq = new int[n + 8];
        for (var i = 0; i < n; i++)
        {
            xy[i] = FixedPointScreen.Pack(FixedPointScreen.Fraction(x[i], sx), FixedPointScreen.Fraction(y[i], sy));
            zq[i] = FixedPointScreen.Fraction(z[i], sz);
        }
        var unit = 2 * Math.Max(lx, Math.Max(ly, lz)) / 65536;
        var shortest = box.MinEdge;
        foreach (var cutoff in new[] { 0.1 * shortest, 0.37 * shortest, 0.5 * shortest, 0.6 * Math.Max(lx, Math.Max(ly, lz)) })
        {
            var limit = FixedPointScreen.Limit(cutoff, box);
            var (inside, hits, beyond) = FixedPointScreen.IsCubic(box)
                ? Count(new CubicAxes(), limit)
                : Count(new OrthorhombicAxes(box), limit);
            Assert.Equal(0, inside);
            Assert.True(hits > 0);
            Assert.Equal(0, beyond);

            (int Missed, int Hits, int Beyond) Count<TAxes>(TAxes axes, Vector256<int> limit) where TAxes : struct, IScreenAxes
            {
                int missed = 0, total = 0, far = 0;
                for (var i = 0; i < 64; i++)
                {
                    var xyi = Vector256.Create(xy[i]).AsInt16();
                    var zi = Vector256.Create(zq[i]).AsInt16();
                    for (var j = 0; j < n; j += 8)
                    {
                        var mask = FixedPointScreen.Hits(xyi, zi, ref xy[0], ref zq[0], j, axes, limit);
                        for (var lane = 0; lane < 8; lane++)
                        {
                            var r = Distance(i, j + lane);
                            var hit = (mask >> lane & 1) != 0;
                            if (r < cutoff && !hit) missed++;
                            if (hit) total++;
                            if (hit && r > cutoff + 10 * unit) far++;
                        }
                    }
                }
                return (missed, total, far);
            }
        }

        double Distance(int i, int j)
        {
            double Image(double d, double l) => Math.Min(Math.Abs(d), l - Math.Abs(d));
            var dx = Image(x[i] - x[j], lx); var dy = Image(y[i] - y[j], ly); var dz = Image(z[i] - z[j], lz);
            return Math.Sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
}
