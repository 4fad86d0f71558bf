using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using BmwWallbox.Rules.Cli;
using BmwWallbox.Rules.Demo;
using BmwWallbox.TestKit.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Rules.Tests.Demo;

/// <summary>
/// The demo end to end, in-process: real daemon, real wss, real MQTT broker and client, simulated box.
/// Starting before dawn at 3600x, the solar rule pauses at once and resumes at 08:02, about 4 s later (the
/// demo's clock starts only once the box is ready, so a slow start-up does not eat into the night).
/// </summary>
public class DemoRunTests
{
    private static readonly DemoOptions Fast = new() { Speed = 3600, Start = new TimeOnly(4, 0) };

    [Fact]
    public async Task The_box_connects_the_solar_rule_pauses_and_resumes_it_and_Ctrl_C_stops_everything_cleanly()
    {
        var mqttPort = FreePort.Next();
        var output = new StringWriter();
        var run = new DemoRun(Fast with { MqttPort = mqttPort }, output, NullLoggerFactory.Instance);
        using var ctrlC = new CancellationTokenSource();

        var running = run.RunAsync(ctrlC.Token);
        await run.BoxConnected.WaitAsync(TestTimeouts.Slow);
        Assert.True(Directory.Exists(Path.Combine(run.WorkDir, "data", "tls")), "the self-signed certificate is generated in the temp folder");

        await run.Paused.WaitAsync(TestTimeouts.Slow);
        var limitSource = $"{DemoConfig.BaseTopic}/{DemoConfig.StationName}/limit_source";
        await using (var user = await TestMqttClient.ConnectAsync(mqttPort, limitSource))
            await user.WaitForAsync(limitSource, p => p == "solar-pause");
        await run.Resumed.WaitAsync(TestTimeouts.Slow);
        var status = $"{DemoConfig.BaseTopic}/status";
        await using (var watcher = await TestMqttClient.ConnectAsync(mqttPort, status))
            await watcher.WaitForAsync(status, p => p == "online");
        await ctrlC.CancelAsync();
        var exit = await running.WaitAsync(TestTimeouts.Slow);

        // (That "offline" is published on a clean stop is tested against Mosquitto in the MQTT tests;
        // here the embedded broker stops right after it, so a subscriber may or may not get it.)
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.False(Directory.Exists(run.WorkDir), "the temp folder is removed");
        var solar = run.RuleActions.Where(t => t.RuleId == "solar-pause").ToList();
        Assert.True(solar.Count >= 2, $"solar-pause acted {solar.Count} time(s)");
        Assert.Equal(("claim pause (0 A)", "Accepted"), (solar[0].Actions[0].Action, solar[0].Actions[0].Outcome));
        Assert.Equal(("release claim", "Accepted"), (solar[1].Actions[0].Action, solar[1].Actions[0].Outcome));
        var text = output.ToString();
        Assert.Contains($"mosquitto_sub -h 127.0.0.1 -p {mqttPort} -t 'bmw-wallbox/#' -t 'homeassistant/#' -t 'demo/#' -v", text);
        Assert.Contains("▶ rule solar-pause (while held for 2m): claim pause (0 A) → Accepted", text);
        Assert.Contains("▶ rule solar-pause (release held for 5m): release claim → Accepted", text);
        Assert.Matches(@"0 A  solar-pause +0 A   0\.0 kW .*SuspendedEVSE", text);
        Assert.Matches(@"16 A  default +16 A  11\.0 kW .*Charging", text);
        Assert.Contains("Temporary files removed.", text);
    }

    /// <summary>The printed mosquitto_sub line, run as printed, shows what the README says it shows.</summary>
    [Fact]
    public async Task The_printed_mosquitto_sub_line_shows_the_bridge_discovery_and_demo_topics()
    {
        var mqttPort = FreePort.Next();
        var output = new StringWriter();
        var run = new DemoRun(Fast with { MqttPort = mqttPort }, output, NullLoggerFactory.Instance);
        using var ctrlC = new CancellationTokenSource();
        var running = run.RunAsync(ctrlC.Token);
        try
        {
            await run.RuleActed.WaitAsync(TestTimeouts.Slow); // the solar values flow, discovery is retained
            var printed = output.ToString().Split('\n').Single(l => l.Contains("mosquitto_sub"));
            var command = printed[(printed.IndexOf("mosquitto_sub", StringComparison.Ordinal) + "mosquitto_sub".Length)..].Trim();
            var start = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true };
            foreach (var arg in Regex.Matches(command, "'([^']*)'|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
                start.ArgumentList.Add(arg);
            foreach (var arg in new[] { "-C", "300", "-W", "20" }) start.ArgumentList.Add(arg); // stop after 300 messages (20 s guard)
            using var sub = Process.Start(start)!;
            var lines = await sub.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeouts.Slow);
            await sub.WaitForExitAsync().WaitAsync(TestTimeouts.Slow);

            Assert.Contains("\nhomeassistant/", "\n" + lines);
            Assert.Contains($"\n{DemoConfig.SolarTopic} ", "\n" + lines);
            Assert.Contains($"\n{DemoConfig.BaseTopic}/{DemoConfig.StationName}/", "\n" + lines);
        }
        finally
        {
            await ctrlC.CancelAsync();
            await running.WaitAsync(TestTimeouts.Slow);
        }
    }

    /// <summary>The printed dashboard URL opens the page, and its API shows the demo's station.</summary>
    [Fact]
    public async Task The_printed_dashboard_url_serves_the_page_and_the_demo_station()
    {
        var output = new StringWriter();
        var run = new DemoRun(Fast with { MqttPort = FreePort.Next() }, output, NullLoggerFactory.Instance);
        using var ctrlC = new CancellationTokenSource();
        var running = run.RunAsync(ctrlC.Token);
        try
        {
            await run.BoxConnected.WaitAsync(TestTimeouts.Slow);
            var url = Regex.Match(output.ToString(), @"open the dashboard: +(http://127\.0\.0\.1:\d+/)").Groups[1].Value;
            Assert.NotEqual("", url);
            using var http = new HttpClient { BaseAddress = new Uri(url) };

            Assert.Contains("<title>bmw-rules</title>", await http.GetStringAsync("/"));
            Assert.Contains($"\"name\":\"{DemoConfig.StationName}\"", await http.GetStringAsync("/api/state"));

            // The printed sessions line reads the demo's own history (header only: no session has ended yet).
            var sessions = Regex.Match(output.ToString(), @"bmw-rules sessions --csv --config (\S+)").Groups[1].Value;
            var (line, _) = CommandLine.Parse(["sessions", "--csv", "--config", sessions]);
            var csv = new StringWriter();
            Assert.Equal(ExitCodes.Ok, await SessionsCommand.RunAsync(line!, csv, TextWriter.Null, CancellationToken.None));
            Assert.StartsWith("id,station,started_at", csv.ToString());
        }
        finally
        {
            await ctrlC.CancelAsync();
            await running.WaitAsync(TestTimeouts.Slow);
        }
    }

    [Fact]
    public async Task With_days_it_stops_by_itself_through_the_command_entry_point()
    {
        var (line, _) = CommandLine.Parse(["demo", "--speed", "3600", "--days", "0.02"]);

        var exit = await DemoCommand.RunAsync(line!, CancellationToken.None).WaitAsync(TestTimeouts.Slow);

        Assert.Equal(ExitCodes.Ok, exit);
    }

    [Fact]
    public async Task A_taken_MQTT_port_fails_with_exit_1_and_leaves_no_temp_folder()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var run = new DemoRun(Fast with { MqttPort = ((IPEndPoint)squatter.LocalEndpoint).Port }, new StringWriter(), NullLoggerFactory.Instance);

        var exit = await run.RunAsync(CancellationToken.None).WaitAsync(TestTimeouts.Slow);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.False(Directory.Exists(run.WorkDir));
    }
}
