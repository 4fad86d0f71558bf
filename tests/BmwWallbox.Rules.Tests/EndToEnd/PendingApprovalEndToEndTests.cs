using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Rules.Cli;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;
using BmwWallbox.TestKit.Logging;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>
/// ocpp.accept_unknown: pending through the whole daemon: a stranger is told Pending and listed on MQTT, a person
/// approves it with <c>bmw-rules stations --approve</c> or over MQTT, and the running daemon serves it like a configured one.
/// </summary>
public sealed class PendingApprovalEndToEndTests : IDisposable
{
    private const string NewId = "DE*BMW*NEW0001";
    private const string NewPassword = "first-password-0123456";
    private const string Boot = """{"chargingStation":{"vendorName":"BMW","model":"Wallbox Plus","serialNumber":"SN-77"},"reason":"PowerUp"}""";
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-approve-").FullName;
    private readonly int _mqttPort = FreePort.Next();

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private string ConfigPath => Path.Combine(_dir, "config.yaml");

    private async Task<LiveDaemon> StartDaemonAsync(TestLogs logs)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
        await File.WriteAllTextAsync(ConfigPath, $$"""
            ocpp:
              port: 0
              bind: 127.0.0.1
              tls: { cert: missing-cert.pem, key: missing-key.pem, self_signed: true }
              accept_unknown: pending
              pending_interval: 30s
              stations:
                - { id: "DE*BMW*E1", password: "configured-password-01", name: garage }
            mqtt:
              port: {{_mqttPort}}
            http:
              enabled: false
            """);
        var config = ConfigLoader.Load(ConfigPath);
        Assert.True(config.Ok, string.Join("\n", config.Problems));
        return await LiveDaemon.StartAsync(config, logs, TimeProvider.System, CancellationToken.None);
    }

    /// <summary>A box that connects with <paramref name="id"/> and sends its BootNotification; the socket stays open.</summary>
    private static async Task<(ClientWebSocket Socket, string Status)> ConnectAndBootAsync(Daemon daemon, string id = NewId)
    {
        var client = new ClientWebSocket();
        client.Options.AddSubProtocol("ocpp2.0.1");
        client.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{NewPassword}")));
        client.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true; // the daemon's self-signed certificate
        await client.ConnectAsync(new Uri($"wss://127.0.0.1:{daemon.Server.Ports[0]}/{Uri.EscapeDataString(id)}"), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        await client.SendAsync(Encoding.UTF8.GetBytes($"[2,\"b1\",\"BootNotification\",{Boot}]"), WebSocketMessageType.Text, true, CancellationToken.None);
        // An approved station is a station like any other: the controller may send its own CALLs (TriggerMessage)
        // before our reply arrives, so read until the answer to our BootNotification.
        var buffer = new byte[8192];
        JsonElement reply;
        do
        {
            var read = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Guard);
            reply = JsonDocument.Parse(buffer.AsMemory(0, read.Count)).RootElement;
        }
        while (reply[1].GetString() != "b1");
        Assert.Equal(3, reply[0].GetInt32());
        return (client, reply[2].GetProperty("status").GetString()!);
    }

    private static async Task<string> BootAsync(Daemon daemon, string id = NewId)
    {
        var (client, status) = await ConnectAndBootAsync(daemon, id);
        using (client) await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        return status;
    }

    /// <summary>The next rebuild of <paramref name="live"/> (a signal, not a wait for time).</summary>
    private static Task<Daemon?> NextReloadAsync(LiveDaemon live)
    {
        var reloaded = new TaskCompletionSource<Daemon?>(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Reloaded += next => reloaded.TrySetResult(next);
        return reloaded.Task.WaitAsync(TestTimeouts.Guard);
    }

    [Fact]
    public async Task A_stranger_waits_Pending_is_listed_and_once_approved_on_the_command_line_the_running_daemon_serves_it()
    {
        var logs = new TestLogs();
        await using var live = await StartDaemonAsync(logs);
        var first = live.Current;
        await using (var hub = await TestMqttClient.ConnectAsync(_mqttPort, "bmw-wallbox/stations/#")) // the daemon's embedded broker
        {
            Assert.Equal("Pending", await BootAsync(first));

            var listed = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/stations/pending", p => p.Contains("SN-77"))).RootElement;
            var entry = Assert.Single(listed.EnumerateArray());
            Assert.Equal(("DE*BMW*NEW0001", "pending", "BMW"), (entry.GetProperty("id").GetString(), entry.GetProperty("status").GetString(), entry.GetProperty("vendor").GetString()));
            Assert.DoesNotContain(NewPassword, listed.ToString());
            Assert.Equal(["garage"], first.Controllers.All.Select(c => c.Name));
            await first.WriteStatusAsync();
            var status = Doctor.DaemonStatus.Read(Doctor.DaemonStatus.PathIn(first.DataDir));
            Assert.Equal(("DE*BMW*NEW0001", "pending", "SN-77"), (status.UnknownStations[0].Id, status.UnknownStations[0].Status, status.UnknownStations[0].SerialNumber));
        }

        // The person approves while run runs; the daemon notices the file (no restart by hand) and rebuilds itself.
        var reload = NextReloadAsync(live);
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, StationsCommand.Run(CommandLineOf("stations", "--config", ConfigPath, "--approve", NewId), output, new StringWriter()));
        Assert.Contains("serves it within seconds", output.ToString());
        var second = await reload;
        Assert.NotNull(second);
        Assert.Same(second, live.Current);

        await using var ha = await TestMqttClient.ConnectAsync(_mqttPort, "bmw-wallbox/de-bmw-new0001/#", "homeassistant/#");
        Assert.Equal("Accepted", await BootAsync(second));
        Assert.Equal(["garage", "de-bmw-new0001"], second.Controllers.All.Select(c => c.Name));
        // Its topics and Home Assistant entities, like a configured station's.
        await ha.WaitForAsync("bmw-wallbox/de-bmw-new0001/connected");
        await ha.WaitForAsync(m => m.Topic.StartsWith("homeassistant/", StringComparison.Ordinal) && m.Payload.Contains("de-bmw-new0001"));
        logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Home_Assistant_approves_and_rejects_over_MQTT_a_rejected_waiting_box_is_disconnected_and_bad_payloads_get_a_clear_answer()
    {
        const string Other = "DE*BMW*NEW0002";
        var logs = new TestLogs();
        await using var live = await StartDaemonAsync(logs);
        var (waiting, status) = await ConnectAndBootAsync(live.Current, Other);
        using var _ = waiting;
        Assert.Equal("Pending", status);
        Assert.Equal("Pending", await BootAsync(live.Current));

        await using (var ha = await TestMqttClient.ConnectAsync(_mqttPort, "bmw-wallbox/stations/result"))
        {
            await ha.PublishAsync("bmw-wallbox/stations/approve", "DE*BMW*NOBODY");
            var unknown = JsonDocument.Parse((await ha.WaitForAsync("bmw-wallbox/stations/result")).Payload).RootElement;
            Assert.False(unknown.GetProperty("ok").GetBoolean());
            Assert.Contains("No unknown station 'DE*BMW*NOBODY'", unknown.GetProperty("reason").GetString());

            await ha.PublishAsync("bmw-wallbox/stations/reject", "not/an id");
            var bad = JsonDocument.Parse((await ha.WaitForAsync("bmw-wallbox/stations/result", p => p.Contains("not/an id"))).Payload).RootElement;
            Assert.Equal(("reject", false), (bad.GetProperty("action").GetString(), bad.GetProperty("ok").GetBoolean()));
            Assert.Contains("must be the id of a station waiting for approval", bad.GetProperty("reason").GetString());

            // Reject: the waiting box is disconnected at once, without a rebuild.
            await ha.PublishAsync("bmw-wallbox/stations/reject", Other);
            Assert.Contains("\"ok\":true", (await ha.WaitForAsync("bmw-wallbox/stations/result", p => p.Contains("rejected"))).Payload);
            var closed = await waiting.ReceiveAsync(new byte[1024], CancellationToken.None).WaitAsync(TestTimeouts.Guard);
            Assert.Equal(WebSocketMessageType.Close, closed.MessageType);

            var reload = NextReloadAsync(live);
            await ha.PublishAsync("bmw-wallbox/stations/approve", $" {NewId}\n");
            Assert.Contains("approved", (await ha.WaitForAsync("bmw-wallbox/stations/result", p => p.Contains("\"approve\"") && p.Contains("\"ok\":true"))).Payload);
            Assert.NotNull(await reload);
        }
        Assert.Equal("Accepted", await BootAsync(live.Current));
        Assert.Equal(["garage", "de-bmw-new0001"], live.Current.Controllers.All.Select(c => c.Name));
        Assert.DoesNotContain(live.Current.Server.Stations, s => s.Id == Other);
        logs.AssertNoUnexpectedErrors();
    }

    private static CommandLine CommandLineOf(params string[] args) => CommandLine.Parse(args).Line!;
}
