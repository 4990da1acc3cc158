using System.Reflection;
using System.Runtime.CompilerServices;

namespace DiffSim.Cli.Commands;

/// <summary>
/// Loads user assemblies named by <c>--load</c>. Each top-level [PairPotential] struct in them registers itself with
/// the engine's catalog from a generated module initialiser, which runs here, so configs can name it as
/// <c>[potential] kind = "..."</c>.
/// </summary>
public static class PotentialPlugins
{
    public static void Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"--load: assembly \"{path}\" not found (looked for {full})", full);
        Assembly assembly;
        try { assembly = Assembly.LoadFrom(full); }
        catch (BadImageFormatException e) { throw new ArgumentException($"--load: \"{path}\" is not a .NET assembly ({e.Message})"); }
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
    }
}
