using System.Numerics;
using System.Runtime.Intrinsics;

namespace DiffSim.Potentials.Neural;

/// <summary>
/// A <see cref="NeuralPairModel"/> evaluated per pair, without a table: the reference that the tabulated field is
/// checked and timed against. The model's scratch buffers make it single-threaded; the vector forms run lane by lane.
/// </summary>
internal readonly struct NeuralPairPotential(NeuralPairModel model, double[] theta) : IPairPotential<NeuralPairPotential>
{
    public NeuralPairModel Model { get; } = model;
    public double[] Theta { get; } = theta;

    public static int ParameterCount => 0;
    public static ReadOnlySpan<string> ParameterNames => [];
    public static NeuralPairPotential FromParameters(ReadOnlySpan<double> parameters) => throw new NotSupportedException("built from a model");
    public void WriteParameters(Span<double> destination) { }
    public double Energy(double r) => Model.Evaluate(Theta, r, out _);
    public double Derivative(double r) { Model.Evaluate(Theta, r, out var d); return d; }

    public double SecondDerivative(double r)
    {
        const double h = 1e-5;
        return (Derivative(r + h) - Derivative(r - h)) / (2 * h);
    }

    public void ParameterGradient(double r, Span<double> gradient) { }
    public void ParameterGradientOfDerivative(double r, Span<double> gradient) { }

    public void Evaluate<T>(T r2, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = Math.Sqrt(double.CreateTruncating(r2));
        energy = T.CreateTruncating(Model.Evaluate(Theta, r, out var du));
        forceOverR = T.CreateTruncating(-du / r);
    }

    public void Evaluate<T>(Vector256<T> r2, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[Vector256<T>.Count], f = stackalloc T[Vector256<T>.Count];
        for (var k = 0; k < e.Length; k++) Evaluate(r2[k], out e[k], out f[k]);
        energy = Vector256.Create<T>(e);
        forceOverR = Vector256.Create<T>(f);
    }

    public void Evaluate<T>(Vector512<T> r2, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[Vector512<T>.Count], f = stackalloc T[Vector512<T>.Count];
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
