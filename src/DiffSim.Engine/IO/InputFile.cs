namespace DiffSim.IO;

/// <summary>The check every reader of a user's file makes first, so that a folder given for a file is called one, not "not found".</summary>
public static class InputFile
{
    /// <summary>Throws <see cref="FileNotFoundException"/> naming <paramref name="what"/> unless <paramref name="path"/> is a file.</summary>
    public static void Require(string path, string what)
    {
        if (Problem(path, what) is { } problem) throw new FileNotFoundException(problem, path);
    }

    /// <summary>What is wrong with <paramref name="path"/> as a file to read (a folder, or nothing there); null when it is a file.</summary>
    public static string? Problem(string path, string what)
        => File.Exists(path) ? null
            : Directory.Exists(path) ? $"{what} \"{path}\" is a folder, not a file; name the file inside it"
            : $"{what} \"{path}\" not found";
}
