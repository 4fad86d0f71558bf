using BmwWallbox.Doctor;
using BmwWallbox.Rules.Cli;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Mqtt;
using Xunit.Abstractions;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>Issue "bmw-rules doctor": a healthy setup with the simulated wallbox connected is all ✔.</summary>
public class DoctorEndToEndTests(ITestOutputHelper output)
{
    /// <summary>
    /// Doctor must not look like the station: no session, no wallbox event (so no rule on
    /// <c>event: connected</c> fires) and no MQTT change, while the box itself is offline.
    /// </summary>
    [Fact]
    public async Task Doctor_against_a_running_daemon_makes_it_see_no_connection_and_publish_nothing()
    {
        await using var h = await DaemonHarness.StartAsync();
        await h.Daemon.WriteStatusAsync(); // so doctor knows the port holder is this bmw-rules
        await using var mqtt = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/garage/connected");
        await mqtt.WaitForAsync("bmw-wallbox/garage/connected", p => p == "false");
        var events = new List<Core.WallboxEvent>();
        h.Daemon.Server.States.Changed += e => { lock (events) events.Add(e); };

        // More runs than ocpp.max_failed_logins: the probe is no failed login, so no run meets a 429.
        var input = DoctorCommand.InputFrom(h.Daemon.Config, "config.yaml", null) with { Port = h.OcppPort };
        for (var run = 0; run <= h.Daemon.Config.Config!.Ocpp.MaxFailedLogins; run++)
        {
            var report = await new DoctorRunner(h.Time).RunAsync(input, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
            output.WriteLine(report.ToText());
            Assert.Contains(report.Checks, c => c.Name == "handshake" && c.Status == CheckStatus.Ok);
        }

        lock (events) Assert.Empty(events);
        // The box connecting now is the first "true": nothing before it flapped.
        await h.ConnectBoxAsync();
        await mqtt.WaitForAsync("bmw-wallbox/garage/connected", p => p == "true");
        Assert.Equal(["false", "true"], mqtt.Received.Where(m => m.Topic == "bmw-wallbox/garage/connected").Select(m => m.Payload).Take(2));
    }

    [Fact]
    public async Task Healthy_setup_with_the_simulated_box_connected_passes_every_check()
    {
        var certDir = Directory.CreateTempSubdirectory("bmw-e2e-tls-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var root = TestCertificates.Ca("E2E Root", now);
        using var intermediate = TestCertificates.Ca("E2E Intermediate", now, root);
        using var leaf = TestCertificates.Leaf(intermediate, now, "localhost");
        var cert = Path.Combine(certDir, "fullchain.pem");
        var key = Path.Combine(certDir, "privkey.pem");
        await File.WriteAllTextAsync(cert, TestCertificates.Pem(leaf, intermediate));
        await File.WriteAllTextAsync(key, TestCertificates.KeyPem(leaf));
        try
        {
            // A healthy setup has a charge mode that can work: without a surplus signal, solar would be a warning.
            await using var h = await DaemonHarness.StartAsync("charging: { mode: now }", tlsYaml: $"tls: {{ cert: \"{cert}\", key: \"{key}\", self_signed: false }}");
            await h.ConnectBoxAsync();
            await h.Daemon.WriteStatusAsync();

            var input = DoctorCommand.InputFrom(h.Daemon.Config, "config.yaml", "localhost") with { Port = h.OcppPort };
            var report = await new DoctorRunner(h.Time).RunAsync(input, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
            output.WriteLine(report.ToText());

            Assert.Equal(0, report.ExitCode);
            Assert.DoesNotContain(report.Checks, c => c.Status is CheckStatus.Fail or CheckStatus.Warn);
            Assert.Contains(report.Checks, c => c.Name.StartsWith("live", StringComparison.Ordinal) && c.Status == CheckStatus.Ok);
        }
        finally
        {
            Directory.Delete(certDir, recursive: true);
        }
    }
}
