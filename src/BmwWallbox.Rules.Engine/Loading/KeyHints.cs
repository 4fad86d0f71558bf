namespace BmwWallbox.Rules.Engine;

/// <summary>"Did you mean …?" for misspelt keys and values.</summary>
internal static class KeyHints
{
    public static string? Nearest(string given, IEnumerable<string> valid)
    {
        var best = valid
            .Select(v => (Value: v, Distance: Distance(given.ToLowerInvariant(), v.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        // Far-off suggestions confuse more than they help.
        return best.Value is not null && best.Distance <= Math.Max(2, given.Length / 2) ? best.Value : null;
    }

    public static string? DidYouMean(string given, IEnumerable<string> valid) =>
        Nearest(given, valid) is { } near ? $"did you mean '{near}'?" : null;

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
