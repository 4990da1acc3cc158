namespace DiffSim.IO;

/// <summary>The check every reader of a user's file makes first, so that a folder given for a file is called one, not "not found".</summary>
public static class InputFile
{
    /// <summary>Throws <see cref="FileNotFoundException"/> naming <paramref name="what"/> unless <paramref name="path"/> is a file.</summary>
    public static void Require(string path, string what)
    {
        if (File.Exists(path)) return;
        throw new FileNotFoundException(Directory.Exists(path)
            ? $"{what} \"{path}\" is a folder, not a file; name the file inside it"
            : $"{what} \"{path}\" not found", path);
    }
}
