using System.Runtime.Intrinsics;
using DiffSim.Potentials;

namespace DiffSim.Tests.Generators;

/// <summary>Array-based access to a potential, so tests can drive engine types and types compiled at test time alike.</summary>
public interface IProbe
{
    Type Type { get; }

    int ParameterCount { get; }

    string[] ParameterNames { get; }

    double Energy(double[] theta, double r);

    double Derivative(double[] theta, double r);

    double SecondDerivative(double[] theta, double r);

    double[] ParameterGradient(double[] theta, double r);

    double[] ParameterGradientOfDerivative(double[] theta, double r);

    double[] WriteParameters(double[] theta);

    (double Energy, double ForceOverR) Evaluate(double[] theta, double r2);

    (float Energy, float ForceOverR) EvaluateFloat(double[] theta, float r2);

    /// <summary>Lane-wise Evaluate over r2 (length a multiple of the vector width), in the given vector width (256 or 512) and precision.</summary>
    void EvaluateVector<T>(int bits, double[] theta, T[] r2, T[] energy, T[] forceOverR) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>The prepared Evaluate forms over r2: the lane constants written once, broadcast to the width (1: scalar, 256 or 512 bits).</summary>
    void EvaluatePrepared<T>(int bits, double[] theta, T[] r2, T[] energy, T[] forceOverR) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>The Vector256 EvaluateAdjoint over r2 (length a multiple of the width), plain or over prepared adjoint lane constants; the gradient is parameter-major.</summary>
    void EvaluateAdjointVector<T>(bool prepared, double[] theta, T[] r2, T[] forceOverR, T[] forceOverRDerivative, T[][] forceOverRGradient) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    (float Energy, float ForceOverR, float EnergyOnly, float ForceOnly) EvaluateGpu(double[] theta, float r2);
}

public sealed class Probe<TP> : IProbe where TP : struct, IPairPotential<TP>
{
    public Type Type => typeof(TP);

    public int ParameterCount => TP.ParameterCount;

    public string[] ParameterNames => TP.ParameterNames.ToArray();

    public double Energy(double[] theta, double r) => TP.FromParameters(theta).Energy(r);

    public double Derivative(double[] theta, double r) => TP.FromParameters(theta).Derivative(r);

    public double SecondDerivative(double[] theta, double r) => TP.FromParameters(theta).SecondDerivative(r);

    public double[] ParameterGradient(double[] theta, double r)
    {
        var g = new double[TP.ParameterCount];
        TP.FromParameters(theta).ParameterGradient(r, g);
        return g;
    }

    public double[] ParameterGradientOfDerivative(double[] theta, double r)
    {
        var g = new double[TP.ParameterCount];
        TP.FromParameters(theta).ParameterGradientOfDerivative(r, g);
        return g;
    }

    public double[] WriteParameters(double[] theta)
    {
        var p = new double[TP.ParameterCount];
        TP.FromParameters(theta).WriteParameters(p);
        return p;
    }

    public (double Energy, double ForceOverR) Evaluate(double[] theta, double r2)
    {
        TP.FromParameters(theta).Evaluate(r2, out double e, out double f);
        return (e, f);
    }

    public (float Energy, float ForceOverR) EvaluateFloat(double[] theta, float r2)
    {
        TP.FromParameters(theta).Evaluate(r2, out float e, out float f);
        return (e, f);
    }

    public void EvaluateVector<T>(int bits, double[] theta, T[] r2, T[] energy, T[] forceOverR) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var p = TP.FromParameters(theta);
        if (bits == 256)
        {
            for (var i = 0; i < r2.Length; i += Vector256<T>.Count)
            {
                p.Evaluate(Vector256.Create<T>(r2.AsSpan(i)), out Vector256<T> e, out Vector256<T> f);
                e.CopyTo(energy.AsSpan(i));
                f.CopyTo(forceOverR.AsSpan(i));
            }
        }
        else
        {
            for (var i = 0; i < r2.Length; i += Vector512<T>.Count)
            {
                p.Evaluate(Vector512.Create<T>(r2.AsSpan(i)), out Vector512<T> e, out Vector512<T> f);
                e.CopyTo(energy.AsSpan(i));
                f.CopyTo(forceOverR.AsSpan(i));
            }
        }
    }

    public void EvaluatePrepared<T>(int bits, double[] theta, T[] r2, T[] energy, T[] forceOverR) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var p = TP.FromParameters(theta);
        var scalars = new T[Math.Max(1, TP.LaneConstantCount)];
        p.LaneConstants<T>(scalars);
        if (bits == 1)
        {
            for (var i = 0; i < r2.Length; i++) p.Evaluate(r2[i], in scalars[0], out energy[i], out forceOverR[i]);
        }
        else if (bits == 256)
        {
            var constants = scalars.Select(Vector256.Create).ToArray();
            for (var i = 0; i < r2.Length; i += Vector256<T>.Count)
            {
                p.Evaluate(Vector256.Create<T>(r2.AsSpan(i)), in constants[0], out Vector256<T> e, out Vector256<T> f);
                e.CopyTo(energy.AsSpan(i));
                f.CopyTo(forceOverR.AsSpan(i));
            }
        }
        else
        {
            var constants = scalars.Select(Vector512.Create).ToArray();
            for (var i = 0; i < r2.Length; i += Vector512<T>.Count)
            {
                p.Evaluate(Vector512.Create<T>(r2.AsSpan(i)), in constants[0], out Vector512<T> e, out Vector512<T> f);
                e.CopyTo(energy.AsSpan(i));
                f.CopyTo(forceOverR.AsSpan(i));
            }
        }
    }

    public void EvaluateAdjointVector<T>(bool prepared, double[] theta, T[] r2, T[] forceOverR, T[] forceOverRDerivative, T[][] forceOverRGradient) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var p = TP.FromParameters(theta);
        var scalars = new T[Math.Max(1, TP.AdjointLaneConstantCount)];
        p.AdjointLaneConstants<T>(scalars);
        var constants = scalars.Select(Vector256.Create).ToArray();
        var gradient = new Vector256<T>[TP.ParameterCount];
        for (var i = 0; i < r2.Length; i += Vector256<T>.Count)
        {
            var s = Vector256.Create<T>(r2.AsSpan(i));
            Vector256<T> phi, dphi;
            if (prepared) p.EvaluateAdjoint(s, in constants[0], out phi, out dphi, gradient);
            else p.EvaluateAdjoint(s, out phi, out dphi, gradient);
            phi.CopyTo(forceOverR.AsSpan(i));
            dphi.CopyTo(forceOverRDerivative.AsSpan(i));
            for (var k = 0; k < gradient.Length; k++) gradient[k].CopyTo(forceOverRGradient[k].AsSpan(i));
        }
    }

    public (float Energy, float ForceOverR, float EnergyOnly, float ForceOnly) EvaluateGpu(double[] theta, float r2)
    {
        // The GPU forms are static methods with float arguments: call them by reflection with the parameters as floats.
        var args = new object[theta.Length + 3];
        args[0] = r2;
        for (var k = 0; k < theta.Length; k++) args[k + 1] = (float)theta[k];
        var both = typeof(TP).GetMethod("EvaluateGpu")!;
        both.Invoke(null, args);
        var single = args.Take(theta.Length + 1).ToArray();
        var e = (float)typeof(TP).GetMethod("EnergyGpu")!.Invoke(null, single)!;
        var f = (float)typeof(TP).GetMethod("ForceOverRGpu")!.Invoke(null, single)!;
        return ((float)args[theta.Length + 1], (float)args[theta.Length + 2], e, f);
    }

    public static IProbe For(Type potential) => (IProbe)Activator.CreateInstance(typeof(Probe<>).MakeGenericType(potential))!;
}
