using System.Numerics;
using System.Runtime.Intrinsics;
using DiffSim.Numerics;

namespace DiffSim.Potentials;

/// <summary>
/// A potential given as points (r, u), interpolated by a natural cubic spline; the force is the spline's derivative,
/// so force and energy are consistent and energy is conserved. Its knot values are trained by the fitting code,
/// not through <see cref="IPairPotential{TSelf}"/> parameters, so <see cref="ParameterCount"/> is 0.
/// </summary>
public readonly struct TabulatedPotential : IPairPotential<TabulatedPotential>
{
    public TabulatedPotential(CubicSpline spline) => Spline = spline;

    public TabulatedPotential(double[] r, double[] u) : this(new CubicSpline(r, u)) { }

    public CubicSpline Spline { get; }

    public static int ParameterCount => 0;

    public static ReadOnlySpan<string> ParameterNames => [];

    public static TabulatedPotential FromParameters(ReadOnlySpan<double> parameters)
        => throw new NotSupportedException("a tabulated potential is built from its points, not from parameters");

    public void WriteParameters(Span<double> destination) { }

    public double Energy(double r) => Spline.Value(r);

    public double Derivative(double r) => Spline.Derivative(r);

    public double SecondDerivative(double r) => Spline.SecondDerivative(r);

    public void ParameterGradient(double r, Span<double> gradient) { }

    public void ParameterGradientOfDerivative(double r, Span<double> gradient) { }

    public void Evaluate<T>(T r2, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = Math.Sqrt(double.CreateTruncating(r2));
        var s = Spline;
        var k = s.Interval(r);
        var t = r - s.X[k];
        energy = T.CreateTruncating(s.Y[k] + t * (s.B[k] + t * (s.C[k] + t * s.D[k])));
        forceOverR = T.CreateTruncating(-(s.B[k] + t * (2 * s.C[k] + 3 * t * s.D[k])) / r);
    }

    // The spline needs a per-lane interval search, so the vector forms evaluate lane by lane.
    public void Evaluate<T>(Vector256<T> r2, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[Vector256<T>.Count];
        Span<T> f = stackalloc T[Vector256<T>.Count];
        for (var k = 0; k < e.Length; k++) Evaluate(r2[k], out e[k], out f[k]);
        energy = Vector256.Create<T>(e);
        forceOverR = Vector256.Create<T>(f);
    }

    public void Evaluate<T>(Vector512<T> r2, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[Vector512<T>.Count];
        Span<T> f = stackalloc T[Vector512<T>.Count];
        for (var k = 0; k < e.Length; k++) Evaluate(r2[k], out e[k], out f[k]);
        energy = Vector512.Create<T>(e);
        forceOverR = Vector512.Create<T>(f);
    }

    // No lane constants: the prepared forms are the plain ones (here, as the interface's defaults would box the struct).
    public void Evaluate<T>(T r2, ref readonly T constants, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, out energy, out forceOverR);

    public void Evaluate<T>(Vector256<T> r2, ref readonly Vector256<T> constants, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, out energy, out forceOverR);

    public void Evaluate<T>(Vector512<T> r2, ref readonly Vector512<T> constants, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, out energy, out forceOverR);
}
