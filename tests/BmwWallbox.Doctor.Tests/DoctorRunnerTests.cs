using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Core;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Ocpp;
using Xunit.Abstractions;

namespace BmwWallbox.Doctor.Tests;

public sealed class DoctorRunnerTests(ITestOutputHelper output) : IDisposable
{
    private const string Host = "box.example.test";
    private const string StationId = "DE*BMW*E1";
    private const string Password = "correct-horse-battery-staple";
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A good setup: full chain from a test CA whose leaf names <see cref="Host"/>.</summary>
    private (DoctorInput Input, X509Certificate2 Leaf) HealthySetup(int port)
    {
        using var root = TestCertificates.Ca("Test Root", _now);
        using var intermediate = TestCertificates.Ca("Test Intermediate", _now, root);
        var leaf = TestCertificates.Leaf(intermediate, _now, Host);
        var input = new DoctorInput
        {
            CertPath = _dir.Write("fullchain.pem", TestCertificates.Pem(leaf, intermediate)),
            KeyPath = _dir.Write("privkey.pem", TestCertificates.KeyPem(leaf)),
            SelfSigned = false,
            Host = Host,
            BindAddress = "127.0.0.1",
            Port = port,
            Stations = [new(StationId, "garage")],
            DataDir = _dir.File("data"),
        };
        return (input, leaf);
    }

    private async Task<DoctorReport> RunAsync(DoctorInput input)
    {
        // Host names the test server's loopback address (the tests' DNS cannot be told to): step 4 finds this machine.
        var lookup = new HostLookup((_, _) => Task.FromResult(new[] { System.Net.IPAddress.Loopback }), () => [System.Net.IPAddress.Loopback]);
        var report = await new DoctorRunner(new ManualClock(_now), lookup).RunAsync(input, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        output.WriteLine(report.ToText());
        return report;
    }

    [Fact]
    public async Task Healthy_setup_without_a_running_instance_passes_and_says_how_to_start_it()
    {
        var (input, leaf) = HealthySetup(FreePort.Next());
        using var _ = leaf;

        var report = await RunAsync(input);

        Assert.Equal(0, report.ExitCode);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], report.Checks.Select(c => c.Step).Distinct());
        Assert.All(report.Checks.Where(c => c.Step <= 3), c => Assert.Equal(CheckStatus.Ok, c.Status));
        Assert.All(report.Checks.Where(c => c.Step is 5 or 6), c =>
        {
            Assert.Contains("no running instance", c.Message);
            Assert.Equal("start it with `bmw-rules run --config config.yaml`", c.Fix);
        });
    }

    [Fact]
    public async Task Healthy_setup_with_a_running_instance_is_all_good()
    {
        var (input, leaf) = HealthySetup(0);
        using var _ = leaf;
        await using var server = await FakeCsmsServer.StartAsync(leaf, new Dictionary<string, string> { [StationId] = Password });
        input = input with { Port = server.Port };
        await StatusFiles.Healthy(_now, server.Port, StatusFiles.Connected(StationId, _now)).WriteAsync(DaemonStatus.PathIn(input.DataDir), CancellationToken.None);

        var report = await RunAsync(input);

        Assert.Equal(0, report.ExitCode);
        Assert.DoesNotContain(report.Checks, c => c.Status is CheckStatus.Fail or CheckStatus.Warn);
        Assert.Contains(report.Checks, c => c.Name == "port" && c.Message.EndsWith($"held by bmw-rules (pid {Environment.ProcessId})"));
        Assert.Contains(report.Checks, c => c.Name == "handshake" && c.Message.Contains("no station credentials sent"));
        Assert.All(server.Requests, r => Assert.Null(r.Authorization));
        Assert.Contains("✔ all good", report.ToText());
    }

    [Fact]
    public async Task Config_problems_fail_step_one_and_the_exit_code()
    {
        var (input, leaf) = HealthySetup(FreePort.Next());
        using var _ = leaf;

        var report = await RunAsync(input with
        {
            ConfigProblems = [new Problem("config.yaml", 3, 9, "ocpp.port must be a number"), new Problem("config.yaml", 20, 3, "unknown key 'wallbox.max_curent'", "did you mean max_current?", Severity.Warning)],
        });

        Assert.Equal(1, report.ExitCode);
        var config = report.Checks.Where(c => c.Step == DoctorSteps.Config && c.Name == "config").ToList();
        Assert.Equal([CheckStatus.Fail, CheckStatus.Warn], config.Select(c => c.Status));
        Assert.Equal("did you mean max_current?", config[1].Fix);
        Assert.StartsWith("config.yaml:3:9: ", config[0].Message);
    }

    [Fact]
    public async Task A_missing_config_file_is_named_without_a_line()
    {
        var (input, leaf) = HealthySetup(FreePort.Next());
        using var _ = leaf;

        var report = await RunAsync(input with { ConfigProblems = [new Problem("config.yaml", 0, 0, "config file not found")] });

        var config = Assert.Single(report.Checks, c => c.Step == DoctorSteps.Config && c.Name == "config");
        Assert.Equal("config.yaml: config file not found", config.Message);
    }

    [Fact]
    public async Task Broken_certificate_and_a_foreign_port_holder_each_show_their_own_failure_and_the_holder_gets_no_password()
    {
        var (input, leaf) = HealthySetup(0);
        using var _ = leaf;
        // No status file: this TLS server is some other program holding the OCPP port.
        await using var server = await FakeCsmsServer.StartAsync(leaf, new Dictionary<string, string> { [StationId] = Password });
        File.WriteAllText(input.CertPath, leaf.ExportCertificatePem());

        var report = await RunAsync(input with { Port = server.Port });

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(["tls.chain", "port"], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        Assert.DoesNotContain(server.Requests, r => r.Authorization is not null);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Running_instance_with_a_disconnected_station_is_probed_without_credentials_and_reported_not_connected()
    {
        var (input, leaf) = HealthySetup(0);
        using var _ = leaf;
        await using var server = await FakeCsmsServer.StartAsync(leaf, new Dictionary<string, string> { [StationId] = Password });
        input = input with { Port = server.Port };
        await StatusFiles.Healthy(_now, server.Port, StatusFiles.Connected(StationId, _now) with { Connected = false })
            .WriteAsync(DaemonStatus.PathIn(input.DataDir), CancellationToken.None);

        var report = await RunAsync(input);

        Assert.Contains(report.Checks, c => c.Name == "handshake" && c.Status == CheckStatus.Ok && c.Message.Contains($"CN={Host}, issued by CN=Test Intermediate"));
        var probe = Assert.Single(server.Requests);
        Assert.Null(probe.Authorization);
        Assert.False(probe.WebSocketUpgrade);
        Assert.Equal(["live.connected"], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
    }
}
