using System.CommandLine;
using Spectre.Console;

namespace DiffSim.Cli.Commands;

/// <summary>The <c>diffsim</c> command tree. <see cref="Run"/> is the process entry point and, with writers, the in-process one for tests.</summary>
public static class DiffSimCli
{
    public static RootCommand Create(TextWriter stdout, TextWriter stderr, IAnsiConsole? terminal)
        => new("diffsim: differentiable molecular dynamics for learning pair potentials")
        {
            SimulateCommand.Create(stdout, stderr, terminal),
            FitCommand.Create(stdout, stderr),
        };

    /// <summary>Parses and runs; with no writers, uses the console, with progress bars when stdout is a terminal.</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var console = stdout is null && stderr is null;
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var terminal = console && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive ? AnsiConsole.Console : null;
        var root = Create(stdout, stderr, terminal);
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
