namespace BmwWallbox.Mqtt;

/// <summary>
/// The current a person may ask for over MQTT (wallbox.min_current / wallbox.max_current).
/// Passed in so this adapter does not depend on the charging project.
/// </summary>
public sealed record CurrentRange(double Min = 6, double Max = 32)
{
    public bool Allows(double amps) => amps == 0 || (amps >= Min && amps <= Max);
}
