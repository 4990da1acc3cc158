using System.Runtime.Intrinsics;
using DiffSim.Numerics;

namespace DiffSim.Tests.Engine;

/// <summary>The vector math the generated kernels call, against System.Math lane by lane.</summary>
public class SimdMathTests
{
    [Theory]
    [InlineData(-0.5, 2.0)]
    [InlineData(-0.5, 3.0)]
    [InlineData(-2.0, -1.0)]
    [InlineData(-0.5, 2.5)]
    [InlineData(0.0, 2.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(-3.0, 0.0)]
    [InlineData(1.7, 2.3)]
    [InlineData(0.8, -12.0)]
    public void PowFollowsMathPowForNegativeAndZeroBases(double x, double y)
    {
        // A parameter exponent of a base that goes negative, (1 − e^(−a(r − r₀)))ⁿ, was NaN in the vector kernels.
        var expected = Math.Pow(x, y);
        var v256 = SimdMath.Pow(Vector256.Create(x), Vector256.Create(y));
        var v512 = SimdMath.Pow(Vector512.Create(x), Vector512.Create(y));
        var f256 = SimdMath.Pow(Vector256.Create((float)x), Vector256.Create((float)y));
        foreach (var got in new[] { v256.GetElement(0), v256.GetElement(3), v512.GetElement(7) })
            if (double.IsNaN(expected)) Assert.True(double.IsNaN(got));
            else Assert.Equal(expected, got, 1e-12 * Math.Max(1, Math.Abs(expected)));
        if (double.IsNaN(expected)) Assert.True(float.IsNaN(f256.GetElement(0)));
        else Assert.Equal(expected, f256.GetElement(0), 1e-5 * Math.Max(1, Math.Abs(expected)));
    }
}
