using DiffSim.Cli.Commands;

namespace DiffSim.Tests.Cli;

/// <summary>A temporary folder for one test's config and outputs, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "diffsim-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>The outcome of one in-process <c>diffsim</c> invocation.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr);

internal static class Cli
{
    /// <summary>Runs <c>diffsim args...</c> in-process with captured output.</summary>
    public static CliRun Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = DiffSimCli.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A config error: exit 2 and one line "error: ..." holding each of <paramref name="mentions"/>.</summary>
    public static void AssertConfigError(CliRun run, params string[] mentions)
    {
        Assert.Equal(ExitCodes.BadConfig, run.ExitCode);
        var line = run.Stderr.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line);
        foreach (var m in mentions) Assert.Contains(m, line);
    }

    /// <summary><c>diffsim fit</c> on <paramref name="config"/> (which must hold <paramref name="from"/>) with <paramref name="from"/> replaced by <paramref name="to"/>.</summary>
    public static CliRun FitWith(TempFolder dir, string config, string from, string to)
    {
        Assert.Contains(from, config);
        return Run("fit", dir.Write("fit.toml", config.Replace(from, to)), "-o", dir.File("out"));
    }

    /// <summary>
    /// A small, fast config: 256 LJ atoms (fcc 4³ at ρ = 0.8442) melted at T = 1.5 under a Nosé–Hoover chain, one thread;
    /// <paramref name="extra"/> is appended (more tables).
    /// </summary>
    public static string SmallConfig(long equilibrate = 300, long steps = 600, string extra = "", string integrator = "nose-hoover", double dt = 0.005)
        => $$"""
        units = "lj"

        [system]
        lattice = "fcc"
        cells = [4, 4, 4]
        density = 0.8442
        seed = 7
        types = [{ name = "A", mass = 1.0 }]

        [potential]
        kind = "lj"
        cutoff = 2.5

        [[potential.pairs]]
        types = ["A", "A"]
        epsilon = 1.0
        sigma = 1.0

        [integrator]
        kind = "{{integrator}}"
        dt = {{dt.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
        temperature = 1.5
        tdamp = 0.5

        [run]
        equilibrate = {{equilibrate}}
        steps = {{steps}}
        thermo_every = 20
        threads = 1

        [rdf]
        bins = 66
        rmax = 3.3
        every = 5

        [output]
        dir = "out"
        {{extra}}
        """;

    /// <summary>The built-in example's target (LAMMPS fix ave/time of compute rdf, LJ at ρ = 0.3, T = 1.2).</summary>
    public static string LjTarget => RepoPaths.Get("src", "DiffSim.Cli", "Examples", "lj-target.lammps");

    /// <summary>
    /// The model and state point shared by the small fit and IBI tests, up to the end of its [[state]] block: 256 LJ
    /// atoms (fcc 4³ at ρ = 0.3) at T = 1.2 under a Nosé–Hoover chain, fitted to <paramref name="target"/>;
    /// <paramref name="stateExtra"/> adds keys to the [[state]] block. Callers append [train], [rdf] and the rest.
    /// </summary>
    public static string LjFitModel(string target, double epsilon = 0.8, double sigma = 1.05, string stateExtra = "") => $$"""
        units = "lj"
        [system]
        lattice = "fcc"
        cells = [4, 4, 4]
        density = 0.3
        seed = 7
        [potential]
        kind = "lj"
        cutoff = 2.5
        shift = true
        [[potential.pairs]]
        types = ["A", "A"]
        epsilon = {{epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
        sigma = {{sigma.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
        [integrator]
        kind = "nose-hoover"
        dt = 0.005
        tdamp = 0.5
        [[state]]
        name = "lj"
        temperature = 1.2
        target = "{{target.Replace("\\", "/")}}"
        {{stateExtra}}

        """;
}
