using System.Globalization;

namespace BmwWallbox.Charging;

/// <summary>What the envelope made of a requested current.</summary>
/// <param name="Amps">The current to hold (0 or within [min, max], one decimal); meaningless when <see cref="Error"/> is set.</param>
/// <param name="Note">Why the request was changed (clamped to max, below min → pause), or null.</param>
/// <param name="Error">Why the request is refused as a whole, or null.</param>
internal sealed record EnvelopeResult(double Amps, string? Note, string? Error)
{
    public bool Valid => Error is null;
}

/// <summary>
/// The safety envelope every claim passes: a current is 0 or within [MinCurrent, MaxCurrent].
/// Above max is clamped to max; between 0 and min means pause (a car cannot charge there);
/// negative or not a number is refused.
/// </summary>
internal sealed class SafetyEnvelope(WallboxOptions options)
{
    public double Max => options.MaxCurrent;

    public EnvelopeResult Check(double requested)
    {
        if (!double.IsFinite(requested) || requested < 0)
            return new(0, null, $"Invalid current {Format(requested)} A: must be a number >= 0 (0 = pause)");

        var amps = Round(requested);
        if (amps > options.MaxCurrent)
            return new(options.MaxCurrent, $"{Format(requested)} A clamped to max {Format(options.MaxCurrent)} A", null);
        if (amps > 0 && amps < options.MinCurrent)
            return new(0, $"{Format(requested)} A is below min {Format(options.MinCurrent)} A: pause (0 A)", null);
        return new(amps, null, null);
    }

    /// <summary>The box takes one decimal (OCPP limit).</summary>
    public static double Round(double amps) => Math.Round(amps, 1, MidpointRounding.AwayFromZero);

    public static string Format(double amps) => amps.ToString("0.#", CultureInfo.InvariantCulture);
}
