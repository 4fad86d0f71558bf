namespace BmwWallbox.Core;

/// <summary>MQTT topic filter matching (+ one level, # the rest), as brokers do it.</summary>
public static class TopicFilter
{
    public static bool Matches(string filter, string topic)
    {
        var f = filter.Split('/');
        var t = topic.Split('/');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#") return true;
            if (i >= t.Length) return false;
            if (f[i] != "+" && f[i] != t[i]) return false;
        }
        return f.Length == t.Length;
    }

    /// <summary>True when the filter is well formed: # only last, wildcards only as whole levels.</summary>
    public static bool IsValid(string filter)
    {
        if (filter.Length == 0) return false;
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level == "#" && i != levels.Length - 1) return false;
            if (level.Length > 1 && (level.Contains('#') || level.Contains('+'))) return false;
        }
        return true;
    }
}
