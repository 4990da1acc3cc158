using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffSim.Potentials;

/// <summary>Lennard-Jones 12-6: u(r) = 4ε[(σ/r)¹² − (σ/r)⁶]. Depends on even powers of r only, so the kernels need no square root.</summary>
public struct LennardJones : IPairPotential<LennardJones>
{
    /// <summary>Well depth ε (energy).</summary>
    public double Epsilon;

    /// <summary>Zero crossing σ (length).</summary>
    public double Sigma;

    public LennardJones(double epsilon, double sigma)
    {
        Epsilon = epsilon;
        Sigma = sigma;
    }

    private static readonly string[] Names = ["epsilon", "sigma"];

    public static int ParameterCount => 2;

    public static ReadOnlySpan<string> ParameterNames => Names;

    public static LennardJones FromParameters(ReadOnlySpan<double> parameters) => new(parameters[0], parameters[1]);

    public readonly void WriteParameters(Span<double> destination)
    {
        destination[0] = Epsilon;
        destination[1] = Sigma;
    }

    public readonly double Energy(double r)
    {
        var s6 = Math.Pow(Sigma / r, 6);
        return 4 * Epsilon * (s6 * s6 - s6);
    }

    public readonly double Derivative(double r)
    {
        var s6 = Math.Pow(Sigma / r, 6);
        return 4 * Epsilon * (-12 * s6 * s6 + 6 * s6) / r;
    }

    public readonly double SecondDerivative(double r)
    {
        var s6 = Math.Pow(Sigma / r, 6);
        return 4 * Epsilon * (156 * s6 * s6 - 42 * s6) / (r * r);
    }

    public readonly void ParameterGradient(double r, Span<double> gradient)
    {
        var s6 = Math.Pow(Sigma / r, 6);
        gradient[0] = 4 * (s6 * s6 - s6);
        gradient[1] = 4 * Epsilon * (12 * s6 * s6 - 6 * s6) / Sigma;
    }

    public readonly void ParameterGradientOfDerivative(double r, Span<double> gradient)
    {
        var s6 = Math.Pow(Sigma / r, 6);
        gradient[0] = 4 * (-12 * s6 * s6 + 6 * s6) / r;
        gradient[1] = 4 * Epsilon * (-144 * s6 * s6 + 36 * s6) / (r * Sigma);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Evaluate<T>(T r2, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sigma2 = T.CreateTruncating(Sigma * Sigma);
        var eps4 = T.CreateTruncating(4 * Epsilon);
        var inv2 = T.One / r2;
        var s2 = sigma2 * inv2;
        var s6 = s2 * s2 * s2;
        energy = eps4 * (s6 * s6 - s6);
        forceOverR = eps4 * inv2 * (T.CreateTruncating(12) * s6 * s6 - T.CreateTruncating(6) * s6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Evaluate<T>(Vector256<T> r2, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sigma2 = Vector256.Create(T.CreateTruncating(Sigma * Sigma));
        var eps4 = Vector256.Create(T.CreateTruncating(4 * Epsilon));
        var inv2 = Vector256<T>.One / r2;
        var s2 = sigma2 * inv2;
        var s6 = s2 * s2 * s2;
        energy = eps4 * (s6 * s6 - s6);
        forceOverR = eps4 * inv2 * (Vector256.Create(T.CreateTruncating(12)) * s6 * s6 - Vector256.Create(T.CreateTruncating(6)) * s6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Evaluate<T>(Vector512<T> r2, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sigma2 = Vector512.Create(T.CreateTruncating(Sigma * Sigma));
        var eps4 = Vector512.Create(T.CreateTruncating(4 * Epsilon));
        var inv2 = Vector512<T>.One / r2;
        var s2 = sigma2 * inv2;
        var s6 = s2 * s2 * s2;
        energy = eps4 * (s6 * s6 - s6);
        forceOverR = eps4 * inv2 * (Vector512.Create(T.CreateTruncating(12)) * s6 * s6 - Vector512.Create(T.CreateTruncating(6)) * s6);
    }
}
