using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

internal abstract record OcppFrame(string Id);
internal sealed record CallFrame(string Id, string Action, JsonNode? Payload) : OcppFrame(Id);
internal sealed record CallResultFrame(string Id, JsonNode? Payload) : OcppFrame(Id);
internal sealed record CallErrorFrame(string Id, string Code, string Description, JsonObject? Details) : OcppFrame(Id);

/// <summary>A frame the box cannot use; <see cref="Id"/> is "-1" when even the id was unreadable.</summary>
internal sealed class OcppFrameException(string id, string code, string description) : Exception(description)
{
    public string Id { get; } = id;
    public string Code { get; } = code;
}

/// <summary>OCPP-J framing: <c>[2,id,action,payload]</c>, <c>[3,id,payload]</c>, <c>[4,id,code,description,details]</c>.</summary>
internal static class OcppFraming
{
    public static byte[] Call(string id, string action, JsonObject payload) => Write(w =>
    {
        w.WriteNumberValue(2);
        w.WriteStringValue(id);
        w.WriteStringValue(action);
        payload.WriteTo(w);
    });

    public static byte[] Result(string id, JsonNode payload) => Write(w =>
    {
        w.WriteNumberValue(3);
        w.WriteStringValue(id);
        payload.WriteTo(w);
    });

    public static byte[] Error(string id, string code, string description, JsonObject? details) => Write(w =>
    {
        w.WriteNumberValue(4);
        w.WriteStringValue(id);
        w.WriteStringValue(code);
        w.WriteStringValue(description.Length > 255 ? description[..255] : description);
        if (details is null) { w.WriteStartObject(); w.WriteEndObject(); }
        else details.WriteTo(w);
    });

    public static OcppFrame Parse(ReadOnlySpan<byte> utf8)
    {
        JsonArray frame;
        try
        {
            frame = JsonNode.Parse(utf8) as JsonArray ?? throw new OcppFrameException("-1", "RpcFrameworkError", "frame is not a JSON array");
        }
        catch (JsonException e)
        {
            throw new OcppFrameException("-1", "RpcFrameworkError", $"frame is not valid JSON: {e.Message}");
        }
        if (frame.Count < 3 || frame[1] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String)
            throw new OcppFrameException("-1", "RpcFrameworkError", "frame has no readable message id");
        var id = idValue.GetValue<string>();
        if (frame[0] is not JsonValue typeValue || !typeValue.TryGetValue(out int type))
            throw new OcppFrameException(id, "RpcFrameworkError", "frame has no message type");
        return type switch
        {
            2 when frame.Count == 4 && frame[2] is JsonValue a && a.GetValueKind() == JsonValueKind.String =>
                new CallFrame(id, a.GetValue<string>(), Detach(frame, 3)),
            2 => throw new OcppFrameException(id, "RpcFrameworkError", "CALL must be [2, id, action, payload]"),
            3 => new CallResultFrame(id, Detach(frame, 2)),
            4 when frame.Count >= 4 => new CallErrorFrame(id, frame[2]?.ToString() ?? "GenericError",
                frame[3]?.ToString() ?? "", frame.Count > 4 ? Detach(frame, 4) as JsonObject : null),
            4 => throw new OcppFrameException(id, "RpcFrameworkError", "CALLERROR must be [4, id, code, description, details]"),
            _ => throw new OcppFrameException(id, "MessageTypeNotSupported", $"message type {type} is not supported"),
        };
    }

    /// <summary>Takes a node out of the frame array so it can be used (and logged) on its own.</summary>
    private static JsonNode? Detach(JsonArray frame, int index)
    {
        var node = frame[index];
        frame[index] = null;
        return node;
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            body(writer);
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
