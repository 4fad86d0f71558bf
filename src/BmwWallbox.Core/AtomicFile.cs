namespace BmwWallbox.Core;

/// <summary>
/// Writes a state file in data_dir so that a crash or a reader never sees half of it: the text goes to a
/// temporary file beside it, which is then renamed over the old one.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text, UnixFileMode? unixMode = null)
    {
        var temp = Prepare(path);
        if (unixMode is { } mode && !OperatingSystem.IsWindows())
        {
            // Created with the mode, so a secret is never readable by others, not even for a moment.
            using var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode });
            using var writer = new StreamWriter(file);
            writer.Write(text);
        }
        else File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The same for a large file: <paramref name="write"/> streams it, so it is never held whole as a string.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temp = Prepare(path);
        using (var file = File.Create(temp)) write(file);
        File.Move(temp, path, overwrite: true);
    }

    public static async Task WriteAllTextAsync(string path, string text, CancellationToken ct)
    {
        var temp = Prepare(path);
        await File.WriteAllTextAsync(temp, text, ct);
        File.Move(temp, path, overwrite: true);
    }

    private static string Prepare(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return path + ".tmp";
    }
}
