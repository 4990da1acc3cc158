namespace DiffSim.Bench;

/// <summary>A bench option given wrongly: the program prints the message and exits with 2, without a stack trace.</summary>
internal sealed class UsageException(string message) : Exception(message);
