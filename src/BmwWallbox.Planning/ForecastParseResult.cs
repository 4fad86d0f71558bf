namespace BmwWallbox.Planning;

/// <summary>A parsed forecast (slots sorted by start, not overlapping) or why the payload was refused.</summary>
public sealed record ForecastParseResult(IReadOnlyList<ForecastSlot>? Slots, string? Error)
{
    public bool Ok => Slots is not null;

    public static ForecastParseResult Success(IReadOnlyList<ForecastSlot> slots) => new(slots, null);

    public static ForecastParseResult Failure(string error) => new(null, error);
}
