using System.Text;
using System.Text.Json;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>One OCPP-J frame as received.</summary>
internal abstract record RpcFrame
{
    public const int MaxMessageIdLength = 36;
    public const int MaxDescriptionLength = 255;
    /// <summary>The id to answer with when the id of a broken CALL cannot be read.</summary>
    public const string UnreadableId = "-1";

    /// <summary>Parses a text frame. Never throws: a broken frame becomes <see cref="RpcBadFrame"/>.</summary>
    public static RpcFrame Parse(string text)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return new RpcBadFrame($"not JSON: {e.Message}", UnreadableId, RpcErrorCode.RpcFrameworkError);
        }

        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 2)
            return new RpcBadFrame("not an OCPP-J array [type, id, ...]", UnreadableId, RpcErrorCode.RpcFrameworkError);

        var id = ReadString(root[1]);
        if (root[0].ValueKind != JsonValueKind.Number || !root[0].TryGetInt32(out var type))
            return new RpcBadFrame("message type is not a number", id ?? UnreadableId, RpcErrorCode.RpcFrameworkError);
        if (type is not (2 or 3 or 4))
            return new RpcBadFrame($"unknown message type {type}", id ?? UnreadableId, RpcErrorCode.MessageTypeNotSupported);

        // Responses are never answered, whatever is wrong with them.
        var replyId = type == 2 ? (id ?? UnreadableId) : null;
        string? ReplyCode(string code) => type == 2 ? code : null;
        if (id is null)
            return new RpcBadFrame("message id is not a readable string", replyId, ReplyCode(RpcErrorCode.RpcFrameworkError));
        if (id.Length is 0 or > MaxMessageIdLength)
            return new RpcBadFrame($"message id must be 1-{MaxMessageIdLength} characters", replyId, ReplyCode(RpcErrorCode.RpcFrameworkError));

        switch (type)
        {
            case 2:
                if (root.GetArrayLength() != 4 || ReadString(root[2]) is not { } action)
                    return new RpcBadFrame("a CALL is [2, id, action, payload] with a readable action", id, RpcErrorCode.RpcFrameworkError);
                if (root[3].ValueKind != JsonValueKind.Object)
                    return new RpcBadFrame("CALL payload is not an object", id, RpcErrorCode.FormatViolation);
                if (!IsReadable(root[3]))
                    return new RpcBadFrame("CALL payload has a string that is not valid Unicode", id, RpcErrorCode.FormatViolation);
                return new RpcCall(id, action, root[3]);
            case 3:
                return root.GetArrayLength() == 3 && root[2].ValueKind == JsonValueKind.Object && IsReadable(root[2])
                    ? new RpcCallResult(id, root[2])
                    : new RpcBadFrame("a CALLRESULT is [3, id, payload]", null, null);
            default:
                if (root.GetArrayLength() < 4 || ReadString(root[2]) is not { } code || !IsReadable(root[3]))
                    return new RpcBadFrame("a CALLERROR is [4, id, code, description, details]", null, null);
                var description = ReadString(root[3]) ?? root[3].GetRawText();
                return new RpcCallError(id, code, description);
        }
    }

    /// <summary>The string, or null when it is none or cannot be read (an escaped lone surrogate such as "\ud800").</summary>
    private static string? ReadString(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String) return null;
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>False when a property name or string anywhere inside cannot be read as text.</summary>
    private static bool IsReadable(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => ReadString(element) is not null,
        JsonValueKind.Array => element.EnumerateArray().All(IsReadable),
        JsonValueKind.Object => element.EnumerateObject().All(p => IsReadableName(p) && IsReadable(p.Value)),
        _ => true,
    };

    private static bool IsReadableName(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static string Call(string messageId, string action, string payloadJson)
        => Write(w =>
        {
            w.WriteNumberValue(2);
            w.WriteStringValue(messageId);
            w.WriteStringValue(action);
            w.WriteRawValue(payloadJson);
        });

    public static string Result(string messageId, string payloadJson)
        => Write(w =>
        {
            w.WriteNumberValue(3);
            w.WriteStringValue(messageId);
            w.WriteRawValue(payloadJson);
        });

    public static string Error(string messageId, string errorCode, string description)
        => Write(w =>
        {
            w.WriteNumberValue(4);
            w.WriteStringValue(messageId);
            w.WriteStringValue(errorCode);
            w.WriteStringValue(description.Length <= MaxDescriptionLength ? description : description[..(MaxDescriptionLength - 1)] + "…");
            w.WriteStartObject();
            w.WriteEndObject();
        });

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            body(writer);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

internal sealed record RpcCall(string MessageId, string Action, JsonElement Payload) : RpcFrame;

internal sealed record RpcCallResult(string MessageId, JsonElement Payload) : RpcFrame;

internal sealed record RpcCallError(string MessageId, string ErrorCode, string Description) : RpcFrame;

/// <summary>A frame that cannot be processed. ReplyId/ErrorCode are set when a CALLERROR must be sent back.</summary>
internal sealed record RpcBadFrame(string Reason, string? ReplyId, string? ErrorCode) : RpcFrame;
