using BmwWallbox.Core;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Logging;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>
/// Two instances behind a load balancer, sharing one Mosquitto (README, "Several instances"): a person's claim sent
/// while the box is on instance A reaches both (each subscribes to the commands); A dies, the box lands on B, and B
/// drives it at the same claim.
/// </summary>
public sealed class TwoInstancesEndToEndTests : IDisposable
{
    private const string StationId = "DE*BMW*FLEET";
    private const string Password = "fleet-password-0123456";
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-two-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private async Task<Daemon> StartInstanceAsync(string name, int brokerPort, ManualClock time, TestLogs logs)
    {
        var dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.Combine(dir, "rules"));
        var path = Path.Combine(dir, "config.yaml");
        await File.WriteAllTextAsync(path, $$"""
            ocpp:
              port: 0
              bind: 127.0.0.1
              tls: { cert: missing-cert.pem, key: missing-key.pem, self_signed: true }
              stations:
                - { id: "{{StationId}}", password: "{{Password}}", name: garage }
              command_timeout: 1h
            wallbox:
              max_current: 16
            charging:
              mode: now
            mqtt:
              broker: { host: 127.0.0.1, port: {{brokerPort}} } # no client_id: each instance makes its own
            http:
              enabled: false
            """);
        var config = ConfigLoader.Load(path);
        Assert.True(config.Ok, string.Join("\n", config.Problems));
        return await Daemon.StartAsync(config, logs, time, CancellationToken.None);
    }

    private static Task<(SimulatedWallbox Box, SimulatedBoxClient Client)> ConnectBoxAsync(Daemon daemon, ManualClock time, TestLogs logs)
        => DaemonHarness.ConnectBmwBoxAsync(daemon.Server.Ports[0], StationId, Password, time, logs);

    [Fact]
    public async Task A_claim_given_while_the_box_is_on_A_is_applied_by_B_when_the_box_lands_there()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var time = new ManualClock(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(10), TimeSpan.Zero));
        var logs = new TestLogs(clock: time);
        await using var b = await StartInstanceAsync("b", broker.Port, time, logs);
        var a = await StartInstanceAsync("a", broker.Port, time, logs);
        // The default client ids differ (host name and data_dir), so neither instance knocks the other off the broker.
        var ids = new[] { a, b }.Select(d => d.Config.Config!.Mqtt.Broker!.ClientId).ToList();
        Assert.All(ids, id => Assert.StartsWith("bmw-rules-", id));
        Assert.NotEqual(ids[0], ids[1]);
        var (boxOnA, clientOnA) = await ConnectBoxAsync(a, time, logs);
        await using var person = await TestMqttClient.ConnectAsync(broker.Port, "bmw-wallbox/garage/result");

        // An instance subscribes in the background after it starts, so the (idempotent) command is given again,
        // one answer at a time, until both instances hold it: B holds the claim for a box it does not have yet.
        while (b.Controllers.All[0].Control.EffectiveLimit != 8 || a.Controllers.All[0].Control.EffectiveLimit != 8)
        {
            var answered = person.On("bmw-wallbox/garage/result").Count;
            await person.PublishAsync("bmw-wallbox/garage/set/current", "8");
            await person.WaitForAsync(_ => person.On("bmw-wallbox/garage/result").Count > answered);
        }
        await boxOnA.WaitForAppliedLimitAsync(8, CancellationToken.None).WaitAsync(TestTimeouts.Slow);

        // A dies; the box reconnects and the load balancer sends it to B.
        await clientOnA.DisposeAsync();
        await boxOnA.DisposeAsync();
        await a.DisposeAsync();
        var (boxOnB, clientOnB) = await ConnectBoxAsync(b, time, logs);

        await boxOnB.WaitForAppliedLimitAsync(8, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        Assert.Equal("mqtt", b.Controllers.All[0].Control.LimitSource);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("lost", StringComparison.Ordinal) && e.Message.Contains("MQTT", StringComparison.Ordinal));
        await clientOnB.DisposeAsync();
        await boxOnB.DisposeAsync();
        logs.AssertNoUnexpectedErrors();
    }
}
