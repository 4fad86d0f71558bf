using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Ocpp.Messages;

/// <summary>
/// Source-generated (de)serialisation of every OCPP message: camelCase names, enums as their
/// wire strings, optional (null) fields omitted, timestamps in UTC with <c>Z</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(UtcTimestampConverter), typeof(TransactionEventRequestConverter), typeof(TransactionDataConverter),
        typeof(MeterValueConverter), typeof(SampledValueConverter)])]
[JsonSerializable(typeof(BootNotificationRequest))]
[JsonSerializable(typeof(BootNotificationResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(StatusNotificationRequest))]
[JsonSerializable(typeof(StatusNotificationResponse))]
[JsonSerializable(typeof(TransactionEventRequest))]
[JsonSerializable(typeof(TransactionEventResponse))]
[JsonSerializable(typeof(MeterValuesRequest))]
[JsonSerializable(typeof(MeterValuesResponse))]
[JsonSerializable(typeof(AuthorizeRequest))]
[JsonSerializable(typeof(AuthorizeResponse))]
[JsonSerializable(typeof(NotifyReportRequest))]
[JsonSerializable(typeof(NotifyReportResponse))]
[JsonSerializable(typeof(NotifyEventRequest))]
[JsonSerializable(typeof(NotifyEventResponse))]
[JsonSerializable(typeof(NotifyEVChargingNeedsRequest))]
[JsonSerializable(typeof(NotifyEVChargingNeedsResponse))]
[JsonSerializable(typeof(NotifyChargingLimitRequest))]
[JsonSerializable(typeof(NotifyChargingLimitResponse))]
[JsonSerializable(typeof(ClearedChargingLimitRequest))]
[JsonSerializable(typeof(ClearedChargingLimitResponse))]
[JsonSerializable(typeof(SecurityEventNotificationRequest))]
[JsonSerializable(typeof(SecurityEventNotificationResponse))]
[JsonSerializable(typeof(FirmwareStatusNotificationRequest))]
[JsonSerializable(typeof(FirmwareStatusNotificationResponse))]
[JsonSerializable(typeof(LogStatusNotificationRequest))]
[JsonSerializable(typeof(LogStatusNotificationResponse))]
[JsonSerializable(typeof(DataTransferRequest))]
[JsonSerializable(typeof(DataTransferResponse))]
[JsonSerializable(typeof(SetChargingProfileRequest))]
[JsonSerializable(typeof(SetChargingProfileResponse))]
[JsonSerializable(typeof(ClearChargingProfileRequest))]
[JsonSerializable(typeof(ClearChargingProfileResponse))]
[JsonSerializable(typeof(GetChargingProfilesRequest))]
[JsonSerializable(typeof(GetChargingProfilesResponse))]
[JsonSerializable(typeof(GetCompositeScheduleRequest))]
[JsonSerializable(typeof(GetCompositeScheduleResponse))]
[JsonSerializable(typeof(RequestStartTransactionRequest))]
[JsonSerializable(typeof(RequestStartTransactionResponse))]
[JsonSerializable(typeof(RequestStopTransactionRequest))]
[JsonSerializable(typeof(RequestStopTransactionResponse))]
[JsonSerializable(typeof(GetTransactionStatusRequest))]
[JsonSerializable(typeof(GetTransactionStatusResponse))]
[JsonSerializable(typeof(ResetRequest))]
[JsonSerializable(typeof(ResetResponse))]
[JsonSerializable(typeof(SetVariablesRequest))]
[JsonSerializable(typeof(SetVariablesResponse))]
[JsonSerializable(typeof(GetVariablesRequest))]
[JsonSerializable(typeof(GetVariablesResponse))]
[JsonSerializable(typeof(GetBaseReportRequest))]
[JsonSerializable(typeof(GetBaseReportResponse))]
[JsonSerializable(typeof(TriggerMessageRequest))]
[JsonSerializable(typeof(TriggerMessageResponse))]
[JsonSerializable(typeof(ChangeAvailabilityRequest))]
[JsonSerializable(typeof(ChangeAvailabilityResponse))]
[JsonSerializable(typeof(UnlockConnectorRequest))]
[JsonSerializable(typeof(UnlockConnectorResponse))]
// The parts the hand-written converters read with the context's own converters.
[JsonSerializable(typeof(TransactionData))]
[JsonSerializable(typeof(MeterValue))]
[JsonSerializable(typeof(SampledValue))]
[JsonSerializable(typeof(UnitOfMeasure))]
[JsonSerializable(typeof(Evse))]
[JsonSerializable(typeof(IdToken))]
[JsonSerializable(typeof(TransactionEventType))]
[JsonSerializable(typeof(TriggerReason))]
[JsonSerializable(typeof(BmwWallbox.Core.ChargingState))]
[JsonSerializable(typeof(StoppedReason))]
[JsonSerializable(typeof(Measurand))]
[JsonSerializable(typeof(ReadingContext))]
[JsonSerializable(typeof(Phase))]
[JsonSerializable(typeof(MeasurementLocation))]
[JsonSerializable(typeof(DateTimeOffset))]
internal sealed partial class OcppJsonContext : JsonSerializerContext;

/// <summary>Writes UTC ISO-8601 with <c>Z</c> (the default writer emits "+00:00"); reads any ISO-8601 offset.</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            // Unescaped into the stack: no string per timestamp. (An escaped value is never longer than its bytes.)
            var bytes = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            DateTimeOffset value;
            if (bytes <= MaxTimestampChars)
            {
                Span<char> text = stackalloc char[MaxTimestampChars];
                if (OcppTimestamp.TryParse(text[..reader.CopyString(text)], out value)) return value;
            }
            else if (OcppTimestamp.TryParse(reader.GetString(), out value))
            {
                return value;
            }
        }
        throw new JsonException($"'{(reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString())}' is not an ISO-8601 timestamp");
    }

    /// <summary>Longer than any ISO-8601 timestamp with fractions and offset.</summary>
    private const int MaxTimestampChars = 64;

    /// <summary>Formatted on the stack: no string per timestamp (every Heartbeat's answer has one).</summary>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[OcppTimestamp.Length];
        value.UtcDateTime.TryFormat(text, out var written, OcppTimestamp.Pattern, CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..written]);
    }
}

internal static class OcppTimestamp
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    /// <summary>The characters <see cref="Pattern"/> gives.</summary>
    public const int Length = 24;

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>ISO-8601 date and time; a timestamp without offset is taken as UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null && TryParse(text.AsSpan(), out value);
    }

    /// <inheritdoc cref="TryParse(string?, out DateTimeOffset)"/>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        return text is { Length: >= 16 } && text[10] is 'T' or 't' or ' '
            && (TryParseUtc(text, out value)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value));
    }

    /// <summary>
    /// The form nearly every box sends, <c>2026-12-04T15:40:00.123Z</c> (0–7 fraction digits), read
    /// digit by digit: the general parser took a tenth of checking and reading a TransactionEvent (four
    /// timestamps). Anything else, a date that does not exist included, is left to the general parser (false).
    /// </summary>
    private static bool TryParseUtc(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is < 20 or > 28 || text[^1] != 'Z' || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
            return false;
        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second))
            return false;
        var fraction = text[19..^1];
        var ticks = 0;
        if (fraction.Length > 0 && (fraction.Length < 2 || fraction[0] != '.' || !TryDigits(fraction[1..], out ticks)))
            return false;
        for (var digits = Math.Max(fraction.Length - 1, 0); digits < 7; digits++) ticks *= 10;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks), TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
