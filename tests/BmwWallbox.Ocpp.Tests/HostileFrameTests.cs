using System.Text.Json;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Tests.Support;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>Frames an attacker or a broken box may send: each gets its OCPP-J answer and the connection stays up.</summary>
public sealed class HostileFrameTests
{
    private const string Status = "\"timestamp\":\"2025-03-01T10:00:00Z\",\"connectorStatus\":\"Available\",\"connectorId\":1";
    private static readonly string DeepPayload = string.Concat(Enumerable.Repeat("""{"a":""", 5000)) + "1" + new string('}', 5000);

    /// <summary>(frame, expected CALLERROR id and code; null: a broken response, never answered).</summary>
    private static readonly (string Frame, string? Id, string? Code)[] Frames =
    [
        // Lone surrogates (escaped) in the id, the action and the payload.
        ("""[2,"\ud800","Heartbeat",{}]""", "-1", RpcErrorCode.RpcFrameworkError),
        ("""[2,"s2","\udc00",{}]""", "s2", RpcErrorCode.RpcFrameworkError),
        ("""[2,"s3","Heartbeat",{"\ud800":1}]""", "s3", RpcErrorCode.FormatViolation),
        ("""[2,"s4","DataTransfer",{"vendorId":"x\ud800y"}]""", "s4", RpcErrorCode.FormatViolation),
        ("""[3,"\ud800",{}]""", null, null),
        ("""[4,"s6","GenericError","\udfff",{}]""", null, null),
        // Deeply nested JSON.
        ("[2,\"d1\",\"DataTransfer\"," + DeepPayload + "]", "-1", RpcErrorCode.RpcFrameworkError),
        (new string('[', 100_000), "-1", RpcErrorCode.RpcFrameworkError),
        // Huge numbers.
        ("""[1e999,"n1","Heartbeat",{}]""", "n1", RpcErrorCode.RpcFrameworkError),
        ("""[2,"n2","StatusNotification",{""" + Status + ""","evseId":1e999}]""", "n2", RpcErrorCode.TypeConstraintViolation),
        ("""[2,"n3","StatusNotification",{""" + Status + ""","evseId":99999999999999999999999}]""", "n3", RpcErrorCode.TypeConstraintViolation),
        ("""[2,"n4","MeterValues",{"evseId":1,"meterValue":[{"timestamp":"2025-03-01T10:00:00Z","sampledValue":[{"value":1e999}]}]}]""", "n4", RpcErrorCode.TypeConstraintViolation),
        // Wrong types.
        ("""[2,"w1","Heartbeat","payload"]""", "w1", RpcErrorCode.FormatViolation),
        ("""[2,"w2",42,{}]""", "w2", RpcErrorCode.RpcFrameworkError),
        ("""[true,"w3","Heartbeat",{}]""", "w3", RpcErrorCode.RpcFrameworkError),
        ("""[2,{"id":1},"Heartbeat",{}]""", "-1", RpcErrorCode.RpcFrameworkError),
        ("""[2,"w5","StatusNotification",{""" + Status + ""","evseId":"one"}]""", "w5", RpcErrorCode.TypeConstraintViolation),
        ("""{"2":"w6"}""", "-1", RpcErrorCode.RpcFrameworkError),
        // Nulls.
        ("null", "-1", RpcErrorCode.RpcFrameworkError),
        ("""[2,null,"Heartbeat",{}]""", "-1", RpcErrorCode.RpcFrameworkError),
        ("""[2,"u2",null,{}]""", "u2", RpcErrorCode.RpcFrameworkError),
        ("""[2,"u3","Heartbeat",null]""", "u3", RpcErrorCode.FormatViolation),
        ("""[null,"u4","Heartbeat",{}]""", "u4", RpcErrorCode.RpcFrameworkError),
        ("""[2,"u5","StatusNotification",{""" + Status + ""","evseId":null}]""", "u5", RpcErrorCode.TypeConstraintViolation),
        // Trailing garbage and other non-JSON.
        ("""[2,"t1","Heartbeat",{}]xyz""", "-1", RpcErrorCode.RpcFrameworkError),
        ("""[2,"t2","Heartbeat",{}] [2]""", "-1", RpcErrorCode.RpcFrameworkError),
        ("", "-1", RpcErrorCode.RpcFrameworkError),
        ("\u0000\u0001", "-1", RpcErrorCode.RpcFrameworkError),
    ];

    [Fact]
    public async Task Every_hostile_frame_gets_its_CALLERROR_and_the_connection_stays_up()
    {
        await using var server = await OcppTestServer.StartAsync(o => o with { MaxFrameBytes = 256 * 1024 });
        await using var station = await server.ConnectStationAsync();

        foreach (var (frame, id, code) in Frames)
        {
            var shown = frame.Length > 80 ? frame[..80] + "…" : frame;
            await station.SendAsync(frame);
            if (id is not null)
            {
                var answer = await station.ReceiveAsync();
                Assert.True(answer is not null, $"{shown}: the connection was closed instead of answered");
                var error = JsonDocument.Parse(answer).RootElement;
                Assert.True((4, id, code) == (error[0].GetInt32(), error[1].GetString(), error[2].GetString()),
                    $"{shown}: expected CALLERROR {id} {code}, got {answer}");
            }

            // Still up and in sync: the next answer is the one to this Heartbeat.
            var heartbeat = await station.CallAsync("Heartbeat", "{}");
            Assert.True(heartbeat[0].GetInt32() == 3, $"after {shown}: Heartbeat got {heartbeat}");
        }

        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
