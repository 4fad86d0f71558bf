using System.Globalization;

namespace BmwWallbox.Rules.Engine.Model;

/// <summary>above:/below: as used by threshold triggers and numeric conditions: both = strictly between.</summary>
internal static class Band
{
    public static bool Contains(double value, double? above, double? below) =>
        (above is not { } a || value > a) && (below is not { } b || value < b);

    public static string Describe(double? above, double? below) =>
        (above is { } a ? $" above {a.ToString(CultureInfo.InvariantCulture)}" : "") + (below is { } b ? $" below {b.ToString(CultureInfo.InvariantCulture)}" : "");
}
