using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;
using BmwWallbox.TestKit.Logging;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>
/// ocpp.station_groups through the whole daemon: a box of the group that was never configured logs in with the shared
/// password, the running daemon serves it (no approval, no restart by hand) under the group's name, and a restart keeps it.
/// </summary>
public sealed class StationGroupEndToEndTests : IDisposable
{
    private const string MemberId = "GARAGE*07";
    private const string GroupPassword = "garage-shared-secret-01";
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-group-e2e-").FullName;
    private readonly int _mqttPort = FreePort.Next();

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private async Task<LiveDaemon> StartDaemonAsync(TestLogs logs)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
        var path = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(path, $$"""
            ocpp:
              port: 0
              bind: 127.0.0.1
              tls: { cert: missing-cert.pem, key: missing-key.pem, self_signed: true }
              station_groups:
                - { prefix: "GARAGE*", password: "{{GroupPassword}}", name: "garage-{suffix}" }
            mqtt:
              port: {{_mqttPort}}
            http:
              enabled: false
            """);
        var config = ConfigLoader.Load(path);
        Assert.True(config.Ok, string.Join("\n", config.Problems));
        return await LiveDaemon.StartAsync(config, logs, TimeProvider.System, CancellationToken.None);
    }

    private static async Task<string> BootAsync(Daemon daemon)
    {
        using var client = new ClientWebSocket();
        client.Options.AddSubProtocol("ocpp2.0.1");
        client.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{MemberId}:{GroupPassword}")));
        client.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true; // the daemon's self-signed certificate
        await client.ConnectAsync(new Uri($"wss://127.0.0.1:{daemon.Server.Ports[0]}/{Uri.EscapeDataString(MemberId)}"), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        await client.SendAsync(Encoding.UTF8.GetBytes("""[2,"b1","BootNotification",{"chargingStation":{"vendorName":"BMW","model":"Wallbox Plus"},"reason":"PowerUp"}]"""),
            WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[8192];
        JsonElement reply;
        do
        {
            var read = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Guard);
            reply = JsonDocument.Parse(buffer.AsMemory(0, read.Count)).RootElement;
        }
        while (reply[1].GetString() != "b1"); // a served station may get the controller's CALLs first
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        return reply[2].GetProperty("status").GetString()!;
    }

    [Fact]
    public async Task A_new_box_of_the_group_is_served_by_the_running_daemon_under_the_groups_name_and_after_a_restart()
    {
        var logs = new TestLogs();
        await using (var live = await StartDaemonAsync(logs))
        {
            Assert.Empty(live.Current.Controllers.All);
            var reloaded = new TaskCompletionSource<Daemon?>(TaskCreationOptions.RunContinuationsAsynchronously);
            live.Reloaded += next => reloaded.TrySetResult(next);

            Assert.Equal("Pending", await BootAsync(live.Current)); // its first connection records it
            var served = await reloaded.Task.WaitAsync(TestTimeouts.Guard);

            Assert.NotNull(served);
            await using var ha = await TestMqttClient.ConnectAsync(_mqttPort, "bmw-wallbox/garage-07/#");
            Assert.Equal("Accepted", await BootAsync(served));
            Assert.Equal(["garage-07"], served.Controllers.All.Select(c => c.Name));
            await ha.WaitForAsync("bmw-wallbox/garage-07/connected");
        }

        await using var again = await StartDaemonAsync(logs);
        Assert.Equal(["garage-07"], again.Current.Controllers.All.Select(c => c.Name));
        Assert.Equal("Accepted", await BootAsync(again.Current));
        logs.AssertNoUnexpectedErrors();
    }
}
