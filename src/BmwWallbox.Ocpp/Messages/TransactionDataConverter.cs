using System.Text.Json;
using System.Text.Json.Serialization;
using BmwWallbox.Core;

namespace BmwWallbox.Ocpp.Messages;

/// <summary>A TransactionEvent's transactionInfo, read by hand (five constructor parameters would be boxed).</summary>
internal sealed class TransactionDataConverter : JsonConverter<TransactionData>
{
    public override TransactionData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonParts.ExpectStartObject(ref reader, typeToConvert);
        string? id = null;
        ChargingState? state = null;
        int? timeSpentCharging = null, remoteStartId = null;
        StoppedReason? stoppedReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("transactionId"u8) ? 1
                : reader.ValueTextEquals("chargingState"u8) ? 2
                : reader.ValueTextEquals("timeSpentCharging"u8) ? 3
                : reader.ValueTextEquals("stoppedReason"u8) ? 4
                : reader.ValueTextEquals("remoteStartId"u8) ? 5
                : 0;
            reader.Read();
            if (property == 0 || reader.TokenType == JsonTokenType.Null) reader.Skip();
            else if (property == 1) id = reader.GetString();
            else if (property == 2) state = JsonParts.ReadEnum<ChargingState>(ref reader, options);
            else if (property == 3) timeSpentCharging = reader.GetInt32();
            else if (property == 4) stoppedReason = JsonParts.ReadEnum<StoppedReason>(ref reader, options);
            else remoteStartId = reader.GetInt32();
        }
        return new TransactionData(id!, state, timeSpentCharging, stoppedReason, remoteStartId);
    }

    public override void Write(Utf8JsonWriter writer, TransactionData value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("transactionId", value.TransactionId);
        JsonParts.WriteIfSet(writer, "chargingState", value.ChargingState, options);
        JsonParts.WriteIfSet(writer, "timeSpentCharging", value.TimeSpentCharging);
        JsonParts.WriteIfSet(writer, "stoppedReason", value.StoppedReason, options);
        JsonParts.WriteIfSet(writer, "remoteStartId", value.RemoteStartId);
        writer.WriteEndObject();
    }
}
