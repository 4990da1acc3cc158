using System.Runtime.Intrinsics;

namespace DiffSim.Numerics;

/// <summary>
/// Coordinate arrays followed by NaN ghosts up to a whole float vector past their particles, so that a vector loaded
/// at the last particles stays inside the array and its ghost lanes fail every distance test.
/// </summary>
internal static class Ghosted
{
    public static double[] Doubles(int count)
    {
        var a = new double[count + Vector256<float>.Count];
        a.AsSpan(count).Fill(double.NaN);
        return a;
    }
}
