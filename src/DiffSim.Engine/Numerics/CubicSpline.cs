namespace DiffSim.Numerics;

/// <summary>
/// A natural cubic spline through (x_k, y_k), x strictly increasing: on [x_k, x_{k+1}] with t = x − x_k,
/// s(x) = y_k + b_k t + c_k t² + d_k t³, continuous to the second derivative, s'' = 0 at both ends.
/// Outside the knots the end cubics are extended.
/// </summary>
public sealed class CubicSpline
{
    public CubicSpline(double[] x, double[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException("spline knots and values differ in length");
        if (x.Length < 3) throw new ArgumentException($"a cubic spline needs at least 3 points, got {x.Length}");
        for (var k = 1; k < x.Length; k++)
            if (!(x[k] > x[k - 1])) throw new ArgumentException($"spline abscissae must increase strictly: x[{k - 1}] = {x[k - 1]}, x[{k}] = {x[k]}");
        X = x;
        Y = y;
        var n = x.Length;
        B = new double[n]; C = new double[n]; D = new double[n];
        // Tridiagonal system for the second derivatives m_k = 2c_k (Thomas algorithm), natural ends m_0 = m_{n-1} = 0.
        var h = new double[n - 1];
        for (var k = 0; k < n - 1; k++) h[k] = x[k + 1] - x[k];
        var m = new double[n];
        var diag = new double[n];
        var rhs = new double[n];
        for (var k = 1; k < n - 1; k++)
        {
            diag[k] = 2 * (h[k - 1] + h[k]);
            rhs[k] = 6 * ((y[k + 1] - y[k]) / h[k] - (y[k] - y[k - 1]) / h[k - 1]);
        }
        for (var k = 2; k < n - 1; k++)
        {
            var w = h[k - 1] / diag[k - 1];
            diag[k] -= w * h[k - 1];
            rhs[k] -= w * rhs[k - 1];
        }
        for (var k = n - 2; k >= 1; k--) m[k] = (rhs[k] - h[k] * m[k + 1]) / diag[k];
        for (var k = 0; k < n - 1; k++)
        {
            B[k] = (y[k + 1] - y[k]) / h[k] - h[k] * (2 * m[k] + m[k + 1]) / 6;
            C[k] = m[k] / 2;
            D[k] = (m[k + 1] - m[k]) / (6 * h[k]);
        }
        // The last knot's cubic continues the previous one, so evaluation past the end stays smooth.
        B[n - 1] = B[n - 2] + 2 * C[n - 2] * h[n - 2] + 3 * D[n - 2] * h[n - 2] * h[n - 2];
        C[n - 1] = C[n - 2] + 3 * D[n - 2] * h[n - 2];
        D[n - 1] = D[n - 2];
    }

    public double[] X { get; }
    public double[] Y { get; }
    public double[] B { get; }
    public double[] C { get; }
    public double[] D { get; }

    /// <summary>Index k of the interval [x_k, x_{k+1}) holding x, clamped to the end intervals.</summary>
    public int Interval(double x)
    {
        var k = Array.BinarySearch(X, x);
        if (k < 0) k = ~k - 1;
        return Math.Clamp(k, 0, X.Length - 2);
    }

    public double Value(double x)
    {
        var k = Interval(x);
        var t = x - X[k];
        return Y[k] + t * (B[k] + t * (C[k] + t * D[k]));
    }

    public double Derivative(double x)
    {
        var k = Interval(x);
        var t = x - X[k];
        return B[k] + t * (2 * C[k] + 3 * t * D[k]);
    }

    public double SecondDerivative(double x)
    {
        var k = Interval(x);
        var t = x - X[k];
        return 2 * C[k] + 6 * t * D[k];
    }
}
