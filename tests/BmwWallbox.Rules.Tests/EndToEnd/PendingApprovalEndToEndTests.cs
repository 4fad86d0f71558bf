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
/// approves it with <c>bmw-rules stations --approve</c>, and from the next start it is a station like a configured one.
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

    private async Task<Daemon> StartDaemonAsync(TestLogs logs)
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
        return await Daemon.StartAsync(config, logs, TimeProvider.System, CancellationToken.None);
    }

    private static async Task<string> BootAsync(Daemon daemon)
    {
        using var client = new ClientWebSocket();
        client.Options.AddSubProtocol("ocpp2.0.1");
        client.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{NewId}:{NewPassword}")));
        client.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true; // the daemon's self-signed certificate
        await client.ConnectAsync(new Uri($"wss://127.0.0.1:{daemon.Server.Ports[0]}/{Uri.EscapeDataString(NewId)}"), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
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
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        Assert.Equal(3, reply[0].GetInt32());
        return reply[2].GetProperty("status").GetString()!;
    }

    [Fact]
    public async Task A_stranger_waits_Pending_is_listed_and_after_approval_and_a_restart_is_Accepted_as_a_station()
    {
        var logs = new TestLogs();
        await using (var first = await StartDaemonAsync(logs))
        {
            await using var hub = await TestMqttClient.ConnectAsync(_mqttPort, "bmw-wallbox/stations/#"); // the daemon's embedded broker
            Assert.Equal("Pending", await BootAsync(first));

            var listed = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/stations/pending", p => p.Contains("SN-77"))).RootElement;
            var entry = Assert.Single(listed.EnumerateArray());
            Assert.Equal(("DE*BMW*NEW0001", "pending", "BMW"), (entry.GetProperty("id").GetString(), entry.GetProperty("status").GetString(), entry.GetProperty("vendor").GetString()));
            Assert.DoesNotContain(NewPassword, listed.ToString());
            Assert.Equal(["garage"], first.Controllers.All.Select(c => c.Name));
            await first.WriteStatusAsync();
            var status = Doctor.DaemonStatus.Read(Doctor.DaemonStatus.PathIn(first.DataDir));
            Assert.Equal(("DE*BMW*NEW0001", "pending", "SN-77"), (status.UnknownStations[0].Id, status.UnknownStations[0].Status, status.UnknownStations[0].SerialNumber));

            var output = new StringWriter();
            var approved = StationsCommand.Run(CommandLineOf("stations", "--config", ConfigPath, "--approve", NewId), output, new StringWriter());
            Assert.Equal(ExitCodes.Ok, approved);
            Assert.Contains("restart bmw-rules run", output.ToString());
            // Until the restart it stays Pending (it is no station of this run).
            Assert.Equal("Pending", await BootAsync(first));
        }

        await using var second = await StartDaemonAsync(logs);
        Assert.Equal("Accepted", await BootAsync(second));
        Assert.Equal(["garage", "de-bmw-new0001"], second.Controllers.All.Select(c => c.Name));
        logs.AssertNoUnexpectedErrors();
    }

    private static CommandLine CommandLineOf(params string[] args) => CommandLine.Parse(args).Line!;
}
