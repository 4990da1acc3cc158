namespace DiffSim.Cli.Commands;

/// <summary>Process exit codes of every diffsim command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An unexpected failure, or outputs that could not be written.</summary>
    public const int Failure = 1;

    /// <summary>The config cannot be run: malformed TOML, unknown or missing key, bad value, missing file.</summary>
    public const int BadConfig = 2;

    /// <summary>The simulation produced a non-finite energy.</summary>
    public const int Diverged = 3;

    /// <summary>Interrupted (Ctrl-C): what was done is written; 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;
}
