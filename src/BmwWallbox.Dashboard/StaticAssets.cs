namespace BmwWallbox.Dashboard;

/// <summary>The page's files (HTML, CSS, JavaScript, the vendored chart library), embedded in this assembly.</summary>
internal static class StaticAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
    };

    /// <summary>The file under wwwroot/ (forward slashes), or null when there is none.</summary>
    public static (byte[] Content, string ContentType)? Find(string path)
    {
        if (path.Contains("..", StringComparison.Ordinal)) return null;
        using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream("wwwroot/" + path);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return (copy.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream"));
    }

    public static string Text(string path)
    {
        var found = Find(path) ?? throw new InvalidOperationException($"Missing embedded file wwwroot/{path}");
        return System.Text.Encoding.UTF8.GetString(found.Content);
    }
}
