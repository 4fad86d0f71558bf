using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>One OCPP-J frame as received.</summary>
internal abstract record RpcFrame
{
    public const int MaxMessageIdLength = 36;
    public const int MaxDescriptionLength = 255;
    /// <summary>The id to answer with when the id of a broken CALL cannot be read.</summary>
    public const string UnreadableId = "-1";

    /// <summary>Parses a text frame (tests and tools; the connection parses the received bytes).</summary>
    public static RpcFrame Parse(string text)
    {
        var frame = Parse(Encoding.UTF8.GetBytes(text), out var document);
        _ = document; // left to the collector: the frame's payload points into it
        return frame;
    }

    /// <summary>
    /// Parses a text frame from its UTF-8 bytes. Never throws: a broken frame becomes <see cref="RpcBadFrame"/>.
    /// A CALL's payload points into <paramref name="document"/> and <paramref name="utf8"/>: both must
    /// stay as they are until the CALL is answered, then the caller disposes the document. Other frames
    /// own what they hold.
    /// </summary>
    public static RpcFrame Parse(ReadOnlyMemory<byte> utf8, out JsonDocument? document)
    {
        document = null;
        // A WebSocket checks text frames are UTF-8; anything else is read as the text decoder would
        // read it, with U+FFFD for the broken bytes.
        if (!Utf8.IsValid(utf8.Span)) utf8 = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8.Span));
        JsonElement root;
        try
        {
            document = JsonDocument.Parse(utf8);
            root = document.RootElement;
        }
        catch (JsonException e)
        {
            return new RpcBadFrame($"not JSON: {e.Message}", UnreadableId, RpcErrorCode.RpcFrameworkError);
        }

        var frame = Read(root);
        if (frame is not RpcCall)
        {
            document.Dispose();
            document = null;
        }
        return frame;
    }

    private static RpcFrame Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 2)
            return new RpcBadFrame("not an OCPP-J array [type, id, ...]", UnreadableId, RpcErrorCode.RpcFrameworkError);

        var id = ReadString(root[1]);
        if (root[0].ValueKind != JsonValueKind.Number || !root[0].TryGetInt32(out var type))
            return new RpcBadFrame("message type is not a number", id ?? UnreadableId, RpcErrorCode.RpcFrameworkError);
        if (type is not (2 or 3 or 4))
            return new RpcBadFrame($"unknown message type {type}", id ?? UnreadableId, RpcErrorCode.MessageTypeNotSupported);

        // Responses are never answered, whatever is wrong with them.
        var replyId = type == 2 ? (id ?? UnreadableId) : null;
        var replyCode = type == 2 ? RpcErrorCode.RpcFrameworkError : null;
        if (id is null)
            return new RpcBadFrame("message id is not a readable string", replyId, replyCode);
        if (id.Length is 0 or > MaxMessageIdLength)
            return new RpcBadFrame($"message id must be 1-{MaxMessageIdLength} characters", replyId, replyCode);

        var length = root.GetArrayLength();
        switch (type)
        {
            case 2:
                if (length != 4 || ReadString(root[2]) is not { } action)
                    return new RpcBadFrame("a CALL is [2, id, action, payload] with a readable action", id, RpcErrorCode.RpcFrameworkError);
                var payload = root[3];
                if (payload.ValueKind != JsonValueKind.Object)
                    return new RpcBadFrame("CALL payload is not an object", id, RpcErrorCode.FormatViolation);
                if (!IsReadable(payload))
                    return new RpcBadFrame("CALL payload has a string that is not valid Unicode", id, RpcErrorCode.FormatViolation);
                return new RpcCall(id, action, payload);
            case 3:
                // Cloned: the answer outlives the frame's buffer (the caller awaits it elsewhere).
                return length == 3 && root[2].ValueKind == JsonValueKind.Object && IsReadable(root[2])
                    ? new RpcCallResult(id, root[2].Clone())
                    : new RpcBadFrame("a CALLRESULT is [3, id, payload]", null, null);
            default:
                if (length < 4 || ReadString(root[2]) is not { } code || !IsReadable(root[3]))
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

    /// <summary>
    /// False when a property name or string anywhere inside cannot be read as text. The bytes are valid
    /// UTF-8, so only an escape (an escaped lone surrogate such as "\ud800") can make one unreadable:
    /// without a backslash there is nothing to look at.
    /// </summary>
    private static bool IsReadable(JsonElement element)
        => !JsonMarshal.GetRawUtf8Value(element).Contains((byte)'\\') || IsEveryStringReadable(element);

    private static bool IsEveryStringReadable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return ReadString(element) is not null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (!IsEveryStringReadable(item)) return false;
                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (!IsReadableName(property) || !IsEveryStringReadable(property.Value)) return false;
                return true;
            default:
                return true;
        }
    }

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

    /// <summary>Writes <c>[2, id, action, payload]</c>; the payload is JSON text.</summary>
    public static void WriteCall(IBufferWriter<byte> output, string messageId, string action, string payloadJson)
    {
        var writer = Start(output, 2, messageId);
        writer.WriteStringValue(action);
        writer.WriteRawValue(payloadJson);
        End(writer);
    }

    /// <summary>Writes <c>[3, id, payload]</c>, the payload serialised straight into the frame.</summary>
    public static void WriteResult(IBufferWriter<byte> output, string messageId, RpcReply reply)
    {
        var writer = Start(output, 3, messageId);
        reply.WriteResult(writer);
        End(writer);
    }

    /// <summary>Writes <c>[4, id, code, description, {}]</c>, the description cut to 255 characters.</summary>
    public static void WriteError(IBufferWriter<byte> output, string messageId, string errorCode, string description)
    {
        var writer = Start(output, 4, messageId);
        writer.WriteStringValue(errorCode);
        writer.WriteStringValue(description.Length <= MaxDescriptionLength ? description : description[..(MaxDescriptionLength - 1)] + "…");
        writer.WriteStartObject();
        writer.WriteEndObject();
        End(writer);
    }

    /// <summary>One writer per thread, pointed at each frame in turn: a frame is written without an await in between.</summary>
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Where a writer points between frames; never written to. (Resetting to <c>Stream.Null</c> instead made the
    /// writer a new buffer for that stream at every frame.)
    /// </summary>
    private static readonly IBufferWriter<byte> Nowhere = new ArrayBufferWriter<byte>();

    private static Utf8JsonWriter Start(IBufferWriter<byte> output, int type, string messageId)
    {
        var writer = t_writer ??= new Utf8JsonWriter(Nowhere);
        writer.Reset(output);
        writer.WriteStartArray();
        writer.WriteNumberValue(type);
        writer.WriteStringValue(messageId);
        return writer;
    }

    private static void End(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.Flush();
        writer.Reset(Nowhere); // lets go of the caller's buffer
    }
}

internal sealed record RpcCall(string MessageId, string Action, JsonElement Payload) : RpcFrame;

internal sealed record RpcCallResult(string MessageId, JsonElement Payload) : RpcFrame;

internal sealed record RpcCallError(string MessageId, string ErrorCode, string Description) : RpcFrame;

/// <summary>A frame that cannot be processed. ReplyId/ErrorCode are set when a CALLERROR must be sent back.</summary>
internal sealed record RpcBadFrame(string Reason, string? ReplyId, string? ErrorCode) : RpcFrame;
