using System.CommandLine;
using Spectre.Console;

namespace DiffSim.Cli.Commands;

/// <summary>The <c>diffsim</c> command tree. <see cref="Run"/> is the process entry point and, with writers, the in-process one for tests.</summary>
public static class DiffSimCli
{
    /// <summary>User assemblies whose generated potentials configs may name; loaded before any command runs.</summary>
    public static readonly Option<string[]> Load = new("--load")
    {
        Description = "Load a .NET assembly with [PairPotential] structs, so that configs can name them (repeatable)",
        Recursive = true,
    };

    public static RootCommand Create(TextWriter stdout, TextWriter stderr, IAnsiConsole? terminal)
        => new("diffsim: differentiable molecular dynamics for learning pair potentials")
        {
            SimulateCommand.Create(stdout, stderr, terminal),
            FitCommand.Create(stdout, stderr),
            IbiCommand.Create(stdout, stderr),
            Load,
        };

    /// <summary>Parses and runs; with no writers, uses the console, with progress bars when stdout is a terminal.</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var console = stdout is null && stderr is null;
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var terminal = console && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive ? AnsiConsole.Console : null;
        var root = Create(stdout, stderr, terminal);
        var parse = root.Parse(args);
        try
        {
            foreach (var path in parse.GetValue(Load) ?? []) PotentialPlugins.Load(path);
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadConfig;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
