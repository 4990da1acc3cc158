using DiffSim.Forces;

namespace DiffSim.Bench;

/// <summary>The benches' <c>--path auto|scalar|vector256|vector512</c>: the forward pair kernel's instruction-set path.</summary>
/// <remarks>Auto takes the widest accelerated path; naming one compares them on the same machine (on AVX-512 hardware, whether 512 bits pay).</remarks>
internal static class PathOption
{
    public static KernelPath Parse(string[] args)
    {
        var k = Array.IndexOf(args, "--path");
        if (k < 0) return KernelPath.Auto;
        if (k + 1 < args.Length && Enum.TryParse<KernelPath>(args[k + 1], ignoreCase: true, out var path) && Enum.IsDefined(path)) return path;
        throw new ArgumentException("--path takes auto, scalar, vector256 or vector512");
    }
}
