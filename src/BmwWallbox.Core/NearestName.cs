namespace BmwWallbox.Core;

/// <summary>"Did you mean …?" for misspelt keys.</summary>
public static class NearestName
{
    /// <summary>The candidate closest to <paramref name="given"/>, or null when even that one is far off
    /// (more than <paramref name="maxDistance"/> edits; default: a third of the word, at least 2).</summary>
    public static string? Find(string given, IEnumerable<string> candidates, int? maxDistance = null)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(given.ToLowerInvariant(), c.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= (maxDistance ?? Math.Max(2, given.Length / 3)) ? best.Name : null;
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
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
