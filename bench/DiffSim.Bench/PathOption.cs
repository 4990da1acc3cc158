using DiffSim.Forces;

namespace DiffSim.Bench;

/// <summary>The benches' <c>--path auto|scalar|vector256|vector512</c>: the forward pair kernel's instruction-set path.</summary>
/// <remarks>Auto is <see cref="KernelPaths.Resolve"/>'s choice; naming a path compares them on the same machine.</remarks>
internal static class PathOption
{
    public static KernelPath Parse(string[] args)
    {
        var k = Array.IndexOf(args, "--path");
        if (k < 0) return KernelPath.Auto;
        return (k + 1 < args.Length ? args[k + 1].ToLowerInvariant() : "") switch
        {
            "auto" => KernelPath.Auto,
            "scalar" => KernelPath.Scalar,
            "vector256" => KernelPath.Vector256,
            "vector512" => KernelPath.Vector512,
            _ => throw new UsageException("--path takes auto, scalar, vector256 or vector512"),
        };
    }
}
