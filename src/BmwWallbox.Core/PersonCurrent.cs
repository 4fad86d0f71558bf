using System.Globalization;

namespace BmwWallbox.Core;

/// <summary>
/// The current a person may ask for (MQTT set/current, the dashboard): 0 (pause) or between the
/// configured minimum and maximum. One check and one wording for every way a person steers.
/// </summary>
public static class PersonCurrent
{
    /// <summary>True when <paramref name="amps"/> is 0 or within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool Check(double amps, double min, double max, out string error)
    {
        if (!double.IsFinite(amps) || (amps != 0 && (amps < min || amps > max)))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Current must be 0 (pause) or between {min:0.##} and {max:0.##} A, got {amps:0.##}");
            return false;
        }
        error = "";
        return true;
    }
}
