using System.Runtime.Intrinsics;

namespace DiffSim.Forces;

/// <summary>The instruction-set path of the pair kernels.</summary>
public enum KernelPath
{
    /// <summary>The widest path the processor accelerates.</summary>
    Auto,
    Scalar,
    Vector256,
    Vector512,
}

public static class KernelPaths
{
    /// <summary>Resolves <see cref="KernelPath.Auto"/> to the widest accelerated path; other values are kept (Vector512 runs in software where not accelerated, which tests use).</summary>
    public static KernelPath Resolve(KernelPath path) => path switch
    {
        KernelPath.Auto when Vector512.IsHardwareAccelerated => KernelPath.Vector512,
        KernelPath.Auto when Vector256.IsHardwareAccelerated => KernelPath.Vector256,
        KernelPath.Auto => KernelPath.Scalar,
        _ => path,
    };
}
