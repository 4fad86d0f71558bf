namespace BmwWallbox.Core;

/// <summary>
/// Station names in one line of a message: all of a few, the first of many with a count. A site of thousands of
/// stations that share a setting gets one line about them, not one per station.
/// </summary>
public static class NameList
{
    /// <summary>'a'; 'a' and 'b'; 'a', 'b', 'c' and 9997 more.</summary>
    public static string Of(IReadOnlyList<string> names, int shown = 3)
    {
        var quoted = names.Take(shown).Select(n => $"'{n}'").ToList();
        var rest = names.Count - quoted.Count;
        return rest > 0 ? $"{string.Join(", ", quoted)} and {rest} more"
            : quoted.Count > 1 ? $"{string.Join(", ", quoted[..^1])} and {quoted[^1]}"
            : quoted.FirstOrDefault() ?? "";
    }

    /// <summary>"station 'a'" or "3 stations ('a', 'b' and 'c')".</summary>
    public static string Stations(IReadOnlyList<string> names)
        => names.Count == 1 ? $"station {Of(names)}" : $"{names.Count} stations ({Of(names)})";
}
