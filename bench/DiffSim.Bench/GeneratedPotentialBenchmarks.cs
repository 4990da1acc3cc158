using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using DiffSim.Potentials;

namespace DiffSim.Bench;

/// <summary>
/// The generated Lennard-Jones kernel (<see cref="LennardJones.Evaluate{T}(Vector256{T}, out Vector256{T}, out Vector256{T})"/>)
/// against the hand-written struct it replaced and against a hand-written inline loop, over an array of r² values,
/// in float and double. Target: generated within 5% of hand-written.
/// Run: <c>dotnet run -c Release --project bench/DiffSim.Bench -- --filter *GeneratedPotential*</c> (with a BenchmarkSwitcher in Program.cs).
/// </summary>
public class GeneratedPotentialBenchmarks
{
    private const double Epsilon = 1.0;
    private const double Sigma = 1.0;

    [Params(4096)]
    public int Pairs;

    private float[] _r2Float = [];
    private float[] _energyFloat = [];
    private float[] _forceFloat = [];
    private double[] _r2Double = [];
    private double[] _energyDouble = [];
    private double[] _forceDouble = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _r2Double = new double[Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var r = 0.85 + 1.65 * random.NextDouble();
            _r2Double[i] = r * r;
        }
        _r2Float = _r2Double.Select(x => (float)x).ToArray();
        _energyFloat = new float[Pairs];
        _forceFloat = new float[Pairs];
        _energyDouble = new double[Pairs];
        _forceDouble = new double[Pairs];
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("float")]
    public void HandWrittenInlineFloat() => InlineLoop(_r2Float, _energyFloat, _forceFloat);

    [Benchmark]
    [BenchmarkCategory("float")]
    public void HandWrittenStructFloat() => Kernel(new HandWrittenLennardJones(Epsilon, Sigma), _r2Float, _energyFloat, _forceFloat);

    [Benchmark]
    [BenchmarkCategory("float")]
    public void GeneratedFloat() => Kernel(new LennardJones(Epsilon, Sigma), _r2Float, _energyFloat, _forceFloat);

    [Benchmark]
    [BenchmarkCategory("double")]
    public void HandWrittenInlineDouble() => InlineLoop(_r2Double, _energyDouble, _forceDouble);

    [Benchmark]
    [BenchmarkCategory("double")]
    public void HandWrittenStructDouble() => Kernel(new HandWrittenLennardJones(Epsilon, Sigma), _r2Double, _energyDouble, _forceDouble);

    [Benchmark]
    [BenchmarkCategory("double")]
    public void GeneratedDouble() => Kernel(new LennardJones(Epsilon, Sigma), _r2Double, _energyDouble, _forceDouble);

    /// <summary>The driver shape of the force kernel: generic over the potential, one Vector256 per step, no tail (Pairs is a multiple of the width).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Kernel<TPotential, T>(TPotential potential, T[] r2, T[] energy, T[] forceOverR)
        where TPotential : struct, IPairPotential<TPotential>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var r = ref MemoryMarshal.GetArrayDataReference(r2);
        ref var e = ref MemoryMarshal.GetArrayDataReference(energy);
        ref var f = ref MemoryMarshal.GetArrayDataReference(forceOverR);
        var n = (nuint)r2.Length;
        for (nuint i = 0; i < n; i += (nuint)Vector256<T>.Count)
        {
            potential.Evaluate(Vector256.LoadUnsafe(ref r, i), out Vector256<T> u, out Vector256<T> phi);
            u.StoreUnsafe(ref e, i);
            phi.StoreUnsafe(ref f, i);
        }
    }

    /// <summary>What a careful person writes by hand: constants hoisted, s⁶ = (σ²/r²)³ shared by u and φ.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void InlineLoop<T>(T[] r2, T[] energy, T[] forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var r = ref MemoryMarshal.GetArrayDataReference(r2);
        ref var e = ref MemoryMarshal.GetArrayDataReference(energy);
        ref var f = ref MemoryMarshal.GetArrayDataReference(forceOverR);
        var sigma2 = Vector256.Create(T.CreateTruncating(Sigma * Sigma));
        var eps4 = Vector256.Create(T.CreateTruncating(4 * Epsilon));
        var twelve = Vector256.Create(T.CreateTruncating(12));
        var six = Vector256.Create(T.CreateTruncating(6));
        var n = (nuint)r2.Length;
        for (nuint i = 0; i < n; i += (nuint)Vector256<T>.Count)
        {
            var inv2 = Vector256<T>.One / Vector256.LoadUnsafe(ref r, i);
            var s2 = sigma2 * inv2;
            var s6 = s2 * s2 * s2;
            (eps4 * (s6 * s6 - s6)).StoreUnsafe(ref e, i);
            (eps4 * inv2 * (twelve * s6 * s6 - six * s6)).StoreUnsafe(ref f, i);
        }
    }

    /// <summary>The hand-written Lennard-Jones that the generated one replaced (the model for the emitter), kept for comparison.</summary>
    internal struct HandWrittenLennardJones : IPairPotential<HandWrittenLennardJones>
    {
        public double Epsilon;
        public double Sigma;

        public HandWrittenLennardJones(double epsilon, double sigma)
        {
            Epsilon = epsilon;
            Sigma = sigma;
        }

        private static readonly string[] Names = ["epsilon", "sigma"];

        public static int ParameterCount => 2;

        public static ReadOnlySpan<string> ParameterNames => Names;

        public static HandWrittenLennardJones FromParameters(ReadOnlySpan<double> parameters) => new(parameters[0], parameters[1]);

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
}
