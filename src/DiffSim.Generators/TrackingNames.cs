namespace DiffSim.Generators;

/// <summary>Names of the pipeline steps, for tests that check the incremental cache.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Models = nameof(Models);
    public const string Diagnostics = nameof(Diagnostics);
}
