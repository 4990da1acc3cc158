using System.Runtime.CompilerServices;

namespace DiffSim.Numerics;

/// <summary>
/// A counter-based random source: the k-th number of stream s under a seed is a pure function of (seed, s, k).
/// Results do not depend on thread count or call order, and the Langevin adjoint can replay the forward noise
/// exactly without storing it.
/// </summary>
/// <remarks>The mixing function is SplitMix64's finaliser (Steele, Lea and Flood, OOPSLA 2014), applied to a combined counter.</remarks>
public readonly struct CounterRandom(ulong seed)
{
    public ulong Seed { get; } = seed;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64 random bits for counter (stream, index).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Bits(ulong stream, ulong index)
        => Mix(Mix(Seed + 0x9E3779B97F4A7C15UL * (stream + 1)) ^ (index * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL));

    /// <summary>A uniform double in (0, 1), never exactly 0 so that its logarithm is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Uniform(ulong stream, ulong index) => ((Bits(stream, index) >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>A standard normal deviate (Box–Muller on two uniforms of the same counter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Normal(ulong stream, ulong index)
    {
        var u1 = Uniform(stream, 2 * index);
        var u2 = Uniform(stream, 2 * index + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
