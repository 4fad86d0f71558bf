using BmwWallbox.Core;

namespace BmwWallbox.Yaml;

/// <summary>"Did you mean …?" for misspelt keys and values.</summary>
public static class KeyHints
{
    // Far-off suggestions confuse more than they help.
    public static string? Nearest(string given, IEnumerable<string> valid) =>
        NearestName.Find(given, valid, Math.Max(2, given.Length / 2));

    public static string? DidYouMean(string given, IEnumerable<string> valid) =>
        Nearest(given, valid) is { } near ? $"did you mean '{near}'?" : null;
}
