namespace DiffSim.Tests;

/// <summary>Locates files of the repository (reference data, examples) from the test binary's folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Get(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DiffSim.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("DiffSim.sln not found above the test binaries");
    }
}
