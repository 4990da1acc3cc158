using System.Numerics;
using System.Runtime.Intrinsics;
using DiffSim.Potentials;

namespace DiffSim.Tests.Adjoint;

/// <summary>
/// u(r) = ε (1 − r²/r_c²)³ (σ/r)⁶ with r_c = 2.5: it and its first two derivatives vanish at the cutoff, so a
/// trajectory is a smooth function of (ε, σ) and finite differences test the adjoint without cutoff-crossing jumps.
/// </summary>
internal struct SmoothSoftSphere(double epsilon, double sigma) : IPairPotential<SmoothSoftSphere>
{
    public const double Cutoff = 2.5;
    public double Epsilon = epsilon;
    public double Sigma = sigma;

    public static int ParameterCount => 2;
    public static ReadOnlySpan<string> ParameterNames => new[] { "epsilon", "sigma" };
    public static SmoothSoftSphere FromParameters(ReadOnlySpan<double> p) => new(p[0], p[1]);
    public readonly void WriteParameters(Span<double> d) { d[0] = Epsilon; d[1] = Sigma; }

    private readonly void Parts(double r, out double f, out double df, out double d2f, out double g, out double dg, out double d2g)
    {
        const double c2 = Cutoff * Cutoff;
        var q = 1 - r * r / c2;
        f = q * q * q;
        df = -6 * r * q * q / c2;
        d2f = -6 * q * q / c2 + 24 * r * r * q / (c2 * c2);
        g = Math.Pow(Sigma / r, 6);
        dg = -6 * g / r;
        d2g = 42 * g / (r * r);
    }

    public readonly double Energy(double r) { Parts(r, out var f, out _, out _, out var g, out _, out _); return Epsilon * f * g; }
    public readonly double Derivative(double r) { Parts(r, out var f, out var df, out _, out var g, out var dg, out _); return Epsilon * (df * g + f * dg); }
    public readonly double SecondDerivative(double r)
    {
        Parts(r, out var f, out var df, out var d2f, out var g, out var dg, out var d2g);
        return Epsilon * (d2f * g + 2 * df * dg + f * d2g);
    }

    public readonly void ParameterGradient(double r, Span<double> grad)
    {
        Parts(r, out var f, out _, out _, out var g, out _, out _);
        grad[0] = f * g;
        grad[1] = Epsilon * f * 6 * g / Sigma;
    }

    public readonly void ParameterGradientOfDerivative(double r, Span<double> grad)
    {
        Parts(r, out var f, out var df, out _, out var g, out var dg, out _);
        grad[0] = df * g + f * dg;
        grad[1] = Epsilon * 6 / Sigma * (df * g + f * dg);
    }

    public readonly void Evaluate<T>(T r2, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = Math.Sqrt(double.CreateTruncating(r2));
        energy = T.CreateTruncating(Energy(r));
        forceOverR = T.CreateTruncating(-Derivative(r) / r);
    }

    public readonly void Evaluate<T>(Vector256<T> r2, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[Vector256<T>.Count], f = stackalloc T[Vector256<T>.Count];
        for (var k = 0; k < e.Length; k++) Evaluate(r2[k], out e[k], out f[k]);
        energy = Vector256.Create<T>(e); forceOverR = Vector256.Create<T>(f);
    }

    public readonly void Evaluate<T>(Vector512<T> r2, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[Vector512<T>.Count], f = stackalloc T[Vector512<T>.Count];
        for (var k = 0; k < e.Length; k++) Evaluate(r2[k], out e[k], out f[k]);
        energy = Vector512.Create<T>(e); forceOverR = Vector512.Create<T>(f);
    }
}
