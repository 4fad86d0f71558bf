using System.Text;
using System.Text.Json;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Rpc;

namespace BmwWallbox.Ocpp.Tests;

public sealed class RpcFrameTests
{
    [Fact]
    public void Parses_call_result_and_error()
    {
        var call = Assert.IsType<RpcCall>(RpcFrame.Parse("""[2,"a1","Heartbeat",{}]"""));
        Assert.Equal(("a1", "Heartbeat"), (call.MessageId, call.Action));

        var result = Assert.IsType<RpcCallResult>(RpcFrame.Parse("""[3,"b2",{"status":"Accepted"}]"""));
        Assert.Equal("Accepted", result.Payload.GetProperty("status").GetString());

        var error = Assert.IsType<RpcCallError>(RpcFrame.Parse("""[4,"c3","SomeVendorCode","went wrong",{}]"""));
        Assert.Equal(("c3", "SomeVendorCode", "went wrong"), (error.MessageId, error.ErrorCode, error.Description));
    }

    [Theory]
    [InlineData("not json at all", "-1", RpcErrorCode.RpcFrameworkError)]
    [InlineData("""{"a":1}""", "-1", RpcErrorCode.RpcFrameworkError)]
    [InlineData("""[2]""", "-1", RpcErrorCode.RpcFrameworkError)]
    [InlineData("""[2, 17, "Heartbeat", {}]""", "-1", RpcErrorCode.RpcFrameworkError)]
    [InlineData("""["2", "x1", "Heartbeat", {}]""", "x1", RpcErrorCode.RpcFrameworkError)]
    [InlineData("""[7, "x2", "Heartbeat", {}]""", "x2", RpcErrorCode.MessageTypeNotSupported)]
    [InlineData("""[7, null, {}]""", "-1", RpcErrorCode.MessageTypeNotSupported)]
    [InlineData("""[2, "x3", 5, {}]""", "x3", RpcErrorCode.RpcFrameworkError)]
    [InlineData("""[2, "x4", "Heartbeat", []]""", "x4", RpcErrorCode.FormatViolation)]
    [InlineData("""[2, "0123456789012345678901234567890123456", "Heartbeat", {}]""", "0123456789012345678901234567890123456", RpcErrorCode.RpcFrameworkError)]
    public void Broken_calls_are_answered_with_the_right_error_and_id(string text, string replyId, string code)
    {
        var bad = Assert.IsType<RpcBadFrame>(RpcFrame.Parse(text));
        Assert.Equal((replyId, code), (bad.ReplyId, bad.ErrorCode));
    }

    [Theory]
    [InlineData("""[3, "r1"]""")]
    [InlineData("""[3, "r1", "not an object"]""")]
    [InlineData("""[4, "r1"]""")]
    [InlineData("""[3, 12, {}]""")]
    public void Broken_responses_are_never_answered(string text)
    {
        var bad = Assert.IsType<RpcBadFrame>(RpcFrame.Parse(text));
        Assert.Null(bad.ReplyId);
        Assert.Null(bad.ErrorCode);
    }

    [Fact]
    public void Bytes_that_are_not_UTF_8_are_read_as_U_FFFD_like_a_text_decoder_reads_them()
    {
        byte[] frame = [.. "[2,\"u1\",\"DataTransfer\",{\"vendorId\":\"x"u8, 0xFF, .. "y\"}]"u8];

        var call = Assert.IsType<RpcCall>(RpcFrame.Parse(frame, out var document));

        Assert.Equal("x\uFFFDy", call.Payload.GetProperty("vendorId").GetString());
        document!.Dispose();
    }

    [Fact]
    public void Escaped_strings_that_are_valid_Unicode_are_read()
    {
        var call = Assert.IsType<RpcCall>(RpcFrame.Parse("""[2,"u2","DataTransfer",{"vendorId":"\u00e9\ud83d\ude00","data":["\n"]}]"""));

        Assert.Equal("é😀", call.Payload.GetProperty("vendorId").GetString());
    }

    [Fact]
    public void Serialises_frames_as_OCPP_J_arrays()
    {
        Assert.Equal("""[2,"id-1","Reset",{"type":"Immediate"}]""", Written(f => RpcFrame.WriteCall(f, "id-1", "Reset", """{"type":"Immediate"}""")));
        Assert.Equal("""[3,"id-2",{}]""", Written(f => RpcFrame.WriteResult(f, "id-2", RpcReply.Result("{}"))));
        Assert.Equal("""[3,"id-3",{"currentTime":"2025-03-01T10:00:00.000Z"}]""", Written(f => RpcFrame.WriteResult(f, "id-3",
            RpcReply.Result(new HeartbeatResponse(new DateTimeOffset(2025, 3, 1, 11, 0, 0, TimeSpan.FromHours(1))), OcppJsonContext.Default.HeartbeatResponse))));
        Assert.Equal("""[4,"id-4","NotImplemented","Unknown action Foo",{}]""", Written(f => RpcFrame.WriteError(f, "id-4", "NotImplemented", "Unknown action Foo")));
    }

    [Fact]
    public void Error_description_is_cut_to_255_characters()
    {
        var frame = JsonDocument.Parse(Written(f => RpcFrame.WriteError(f, "x", "InternalError", new string('d', 1000)))).RootElement;
        Assert.Equal(255, frame[3].GetString()!.Length);
    }

    private static string Written(Action<PooledBufferWriter> write)
    {
        using var frame = new PooledBufferWriter(16); // small, so writing grows it
        write(frame);
        return Encoding.UTF8.GetString(frame.WrittenMemory.Span);
    }
}
