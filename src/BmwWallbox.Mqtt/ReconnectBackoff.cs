namespace BmwWallbox.Mqtt;

/// <summary>
/// Exponential back-off with jitter, so a broker that comes back is not hit by every client at
/// the same instant and a broker that stays down is not hammered.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Random random)
{
    /// <summary>The wait after the <paramref name="failures"/>-th consecutive failure (1-based).</summary>
    public TimeSpan Delay(int failures)
    {
        var exponential = min.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        var jittered = capped * (0.8 + random.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(jittered, max.TotalMilliseconds));
    }
}
