using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Ocpp.Messages;

/// <summary>
/// The TransactionEvent request, the message a charging box sends most, read by hand: the
/// serializer's path for a record with twelve constructor parameters boxes each of them.
/// </summary>
internal sealed class TransactionEventRequestConverter : JsonConverter<TransactionEventRequest>
{
    public override TransactionEventRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonParts.ExpectStartObject(ref reader, typeToConvert);
        TransactionEventType eventType = default;
        DateTimeOffset timestamp = default;
        TriggerReason triggerReason = default;
        var seqNo = 0;
        TransactionData? info = null;
        bool? offline = null;
        int? phases = null, cableMaxCurrent = null, reservationId = null;
        Evse? evse = null;
        IdToken? idToken = null;
        List<MeterValue>? meterValues = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("eventType"u8) ? 1
                : reader.ValueTextEquals("timestamp"u8) ? 2
                : reader.ValueTextEquals("triggerReason"u8) ? 3
                : reader.ValueTextEquals("seqNo"u8) ? 4
                : reader.ValueTextEquals("transactionInfo"u8) ? 5
                : reader.ValueTextEquals("meterValue"u8) ? 6
                : reader.ValueTextEquals("offline"u8) ? 7
                : reader.ValueTextEquals("numberOfPhasesUsed"u8) ? 8
                : reader.ValueTextEquals("cableMaxCurrent"u8) ? 9
                : reader.ValueTextEquals("reservationId"u8) ? 10
                : reader.ValueTextEquals("evse"u8) ? 11
                : reader.ValueTextEquals("idToken"u8) ? 12
                : 0;
            reader.Read();
            if (property == 0 || reader.TokenType == JsonTokenType.Null) reader.Skip();
            else if (property == 1) eventType = JsonParts.ReadEnum<TransactionEventType>(ref reader, options);
            else if (property == 2) timestamp = JsonParts.Read<DateTimeOffset>(ref reader, options);
            else if (property == 3) triggerReason = JsonParts.ReadEnum<TriggerReason>(ref reader, options);
            else if (property == 4) seqNo = reader.GetInt32();
            else if (property == 5) info = JsonParts.Read<TransactionData>(ref reader, options);
            else if (property == 6) meterValues = JsonParts.ReadList<MeterValue>(ref reader, options);
            else if (property == 7) offline = reader.GetBoolean();
            else if (property == 8) phases = reader.GetInt32();
            else if (property == 9) cableMaxCurrent = reader.GetInt32();
            else if (property == 10) reservationId = reader.GetInt32();
            else if (property == 11) evse = JsonParts.ReadObject<Evse>(ref reader, options);
            else idToken = JsonParts.ReadObject<IdToken>(ref reader, options);
        }
        return new TransactionEventRequest(eventType, timestamp, triggerReason, seqNo, info!, offline, phases, cableMaxCurrent, reservationId, evse, idToken, meterValues);
    }

    public override void Write(Utf8JsonWriter writer, TransactionEventRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        JsonParts.Write(writer, "eventType", value.EventType, options);
        JsonParts.Write(writer, "timestamp", value.Timestamp, options);
        JsonParts.Write(writer, "triggerReason", value.TriggerReason, options);
        writer.WriteNumber("seqNo", value.SeqNo);
        JsonParts.Write(writer, "transactionInfo", value.TransactionInfo, options);
        if (value.Offline is { } offline) writer.WriteBoolean("offline", offline);
        JsonParts.WriteIfSet(writer, "numberOfPhasesUsed", value.NumberOfPhasesUsed);
        JsonParts.WriteIfSet(writer, "cableMaxCurrent", value.CableMaxCurrent);
        JsonParts.WriteIfSet(writer, "reservationId", value.ReservationId);
        if (value.Evse is { } evse) JsonParts.WriteObject(writer, "evse", evse, options);
        if (value.IdToken is { } idToken) JsonParts.WriteObject(writer, "idToken", idToken, options);
        if (value.MeterValue is { } meterValues) JsonParts.WriteList(writer, "meterValue", meterValues, options);
        writer.WriteEndObject();
    }
}
