namespace DiffSim.Tests.Generators;

/// <summary>
/// Ridders' method: central differences at step h, h/1.4, h/1.4², ... extrapolated to h → 0 in a Neville tableau
/// (Richardson extrapolation in h²), keeping the entry with the smallest error estimate. With a smooth f it reaches
/// about 1e-12 relative in double, which makes a 1e-7 agreement test meaningful.
/// </summary>
public static class FiniteDifference
{
    public static double Derivative(Func<double, double> f, double x, double h, out double error)
    {
        const int Table = 12;
        const double Shrink = 1.4, Shrink2 = Shrink * Shrink, Safe = 2.0;
        var a = new double[Table, Table];
        a[0, 0] = (f(x + h) - f(x - h)) / (2 * h);
        error = double.MaxValue;
        var answer = a[0, 0];
        for (var i = 1; i < Table; i++)
        {
            h /= Shrink;
            a[0, i] = (f(x + h) - f(x - h)) / (2 * h);
            var factor = Shrink2;
            for (var j = 1; j <= i; j++)
            {
                a[j, i] = (a[j - 1, i] * factor - a[j - 1, i - 1]) / (factor - 1);
                factor *= Shrink2;
                var e = Math.Max(Math.Abs(a[j, i] - a[j - 1, i]), Math.Abs(a[j, i] - a[j - 1, i - 1]));
                if (e <= error)
                {
                    error = e;
                    answer = a[j, i];
                }
            }
            if (Math.Abs(a[i, i] - a[i - 1, i - 1]) >= Safe * error) break;
        }
        return answer;
    }
}
