using System.Net;
using System.Net.Sockets;
using BmwWallbox.Rules.Demo;

namespace BmwWallbox.Rules.Tests.Cli;

/// <summary>
/// A port the daemon needs is taken: the real process says in one line which port and who holds it,
/// exits 1 (a systemd restart would not help), and shows no stack trace.
/// </summary>
public sealed class PortInUseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-port-in-use-").FullName;
    private readonly TcpListener _taken = new(IPAddress.Loopback, 0);

    public PortInUseTests()
    {
        _taken.Start();
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
    }

    private int TakenPort => ((IPEndPoint)_taken.LocalEndpoint).Port;

    public void Dispose()
    {
        _taken.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Run_with_the_OCPP_port_taken_names_the_port_and_its_holder_and_exits_1()
    {
        WriteConfig(ocppPort: TakenPort, mqttPort: FreePort.Next());

        var run = await BmwRulesProcess.RunAsync(_dir, "run", "--config", "config.yaml");

        AssertOneClearLine(run, $"the OCPP port 127.0.0.1:{TakenPort} is already in use by", "ocpp.port");
    }

    [Fact]
    public async Task Run_with_the_MQTT_port_taken_names_the_port_and_its_holder_and_exits_1()
    {
        WriteConfig(ocppPort: FreePort.Next(), mqttPort: TakenPort);

        var run = await BmwRulesProcess.RunAsync(_dir, "run", "--config", "config.yaml");

        AssertOneClearLine(run, $"the MQTT broker port 127.0.0.1:{TakenPort} is already in use by", "mqtt.port");
    }

    [Fact]
    public async Task Demo_with_its_port_taken_names_the_port_and_its_holder_and_exits_1()
    {
        var run = await BmwRulesProcess.RunAsync(_dir, "demo", "--port", TakenPort.ToString(), "--duration", "30s");

        AssertOneClearLine(run, $"the OCPP port 127.0.0.1:{TakenPort} is already in use by", "--port");
    }

    [Fact]
    public async Task Run_warns_at_start_up_about_the_placeholder_password()
    {
        // The taken port ends the run right after start-up, so the test needs no Ctrl+C.
        WriteConfig(ocppPort: TakenPort, mqttPort: FreePort.Next(), password: "change-me-to-the-box-password");

        var run = await BmwRulesProcess.RunAsync(_dir, "run", "--config", "config.yaml");

        Assert.Contains("WRN bmw-rules: ⚠ WARNING: station 'E1' uses the placeholder password", run.Out);
        Assert.Contains("warning: station 'E1' still has the placeholder password", run.Err);
    }

    /// <summary>The holder is this test process, so its pid must be named.</summary>
    private static void AssertOneClearLine(BmwRulesProcess.Result run, string expected, string setting)
    {
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.All}");
        var lines = run.All.Split('\n').Where(l => l.Contains(expected)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains($"(pid {Environment.ProcessId})", line);
        Assert.Contains(setting, line);
        Assert.DoesNotContain("Exception", run.All);
        Assert.DoesNotContain("   at ", run.All);
    }

    [Fact]
    public async Task Run_with_the_dashboard_port_taken_names_the_port_and_its_holder_and_exits_1()
    {
        WriteConfig(ocppPort: FreePort.Next(), mqttPort: FreePort.Next(), httpPort: TakenPort);

        var run = await BmwRulesProcess.RunAsync(_dir, "run", "--config", "config.yaml");

        AssertOneClearLine(run, $"the dashboard port 127.0.0.1:{TakenPort} is already in use by", "http.port");
    }

    private void WriteConfig(int ocppPort, int mqttPort, string password = "0123456789abcdef", int httpPort = 0) =>
        File.WriteAllText(Path.Combine(_dir, "config.yaml"), $"""
            data_dir: data
            ocpp:
              bind: 127.0.0.1
              port: {ocppPort}
              tls: {"{"} cert: tls/cert.pem, key: tls/key.pem, self_signed: true {"}"}
              stations: [{"{"} id: "E1", password: "{password}", name: garage {"}"}]
            mqtt:
              port: {mqttPort}
            http:
              port: {httpPort}
            """);
}
