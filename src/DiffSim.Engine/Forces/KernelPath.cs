using System.Runtime.Intrinsics;

namespace DiffSim.Forces;

/// <summary>The instruction-set path of the pair kernels.</summary>
public enum KernelPath
{
    /// <summary>Vector256 wherever the processor accelerates it, AVX-512 processors included (the faster path on in.lj there); else scalar.</summary>
    Auto,
    Scalar,
    Vector256,
    Vector512,
}

public static class KernelPaths
{
    /// <summary>Resolves <see cref="KernelPath.Auto"/>; other values are kept (Vector512 runs in software where not accelerated, which tests use).</summary>
    /// <remarks>
    /// Not the widest accelerated path: on an AVX-512 Xeon (Emerald Rapids) the Vector512 kernels ran in.lj at half the
    /// rate of the Vector256 ones in float and 0.7× in double, in the same run (docs/performance.md), as only the
    /// Vector256 kernels pipeline their gathers and defer their scatters. Vector512 stays a choice.
    /// </remarks>
    public static KernelPath Resolve(KernelPath path) => path switch
    {
        KernelPath.Auto when Vector256.IsHardwareAccelerated => KernelPath.Vector256,
        KernelPath.Auto => KernelPath.Scalar,
        _ => path,
    };

    /// <summary>Whether <paramref name="path"/> runs in software: Vector512 where the processor lacks AVX-512 (correct, and slower than Vector256).</summary>
    public static bool IsEmulated(KernelPath path) => path == KernelPath.Vector512 && !Vector512.IsHardwareAccelerated;
}
