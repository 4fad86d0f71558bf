namespace BmwWallbox.TestKit;

/// <summary>The repository's README, for the tests that hold it to the code: read once, and cut into sections by heading.</summary>
public static class ReadmeText
{
    public static string All { get; } = File.ReadAllText(RepoPaths.Of("README.md"));

    /// <summary>From the line <paramref name="heading"/> (e.g. "## Configuration reference") to the next heading of its level or above.</summary>
    public static string Section(string heading)
    {
        var start = All.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"the README has no heading '{heading}'");
        var level = heading[..heading.IndexOf(' ')];
        var end = Enumerable.Range(1, level.Length).Select(n => All.IndexOf("\n" + new string('#', n) + " ", start + heading.Length, StringComparison.Ordinal))
            .Where(i => i >= 0).DefaultIfEmpty(All.Length).Min();
        return All[(start + 1)..end];
    }
}
