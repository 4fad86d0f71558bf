using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BmwWallbox.TestKit;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.LoadBenchmark;

/// <summary>How long one path took from an MQTT publish to the SetChargingProfile arriving at the station.</summary>
internal sealed record LatencyMeasurement(string Scenario, int Samples, double P50Ms, double P99Ms, double MaxMs, int Missed);

/// <summary>
/// From MQTT to the box, through the real daemon (bmw-rules run, its embedded broker) and a station of
/// the benchmark that is charging: a person's command (<c>set/current</c>), and a signal through a
/// level rule without a delay. Each sample waits for its SetChargingProfile before the next is sent.
/// </summary>
internal static class LatencyScenarios
{
    private const string StationName = "load00000";
    private const string LevelTopic = "bench/level";
    private const double LevelLimit = 8;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(20);

    /// <summary><c>set/current</c> alternating between two currents, each answered by a SetChargingProfile with that limit.</summary>
    public static Task<LatencyMeasurement> CommandAsync(Targets targets, int samples)
        => MeasureAsync(targets, samples, "MQTT set/current → SetChargingProfile at the station",
            extraYaml: "", rules: null,
            sample: i => ($"bmw-wallbox/{StationName}/set/current", i % 2 == 0 ? "10" : "12", limit => limit == (i % 2 == 0 ? 10 : 12)));

    /// <summary>A signal crossing a level rule's threshold: above, the rule claims 8 A; below, it releases (back to the maximum).</summary>
    public static Task<LatencyMeasurement> LevelRuleAsync(Targets targets, int samples)
        => MeasureAsync(targets, samples, "MQTT signal → level rule (no delay) → SetChargingProfile at the station",
            extraYaml: $"""
                signals:
                  bench_level:
                    topic: {LevelTopic}
                wallbox:
                  min_change_interval: 0
                """,
            rules: $$"""
                - id: bench-level
                  station: {{StationName}}
                  while: { signal: bench_level, above: 500 }
                  limit: {{LevelLimit.ToString(CultureInfo.InvariantCulture)}}
                """,
            sample: i => (LevelTopic, i % 2 == 0 ? "1000" : "0", limit => i % 2 == 0 ? limit == LevelLimit : limit > LevelLimit));

    private static async Task<LatencyMeasurement> MeasureAsync(Targets targets, int samples, string scenario, string extraYaml, string? rules,
        Func<int, (string Topic, string Payload, Func<double, bool> Expected)> sample)
    {
        var mqttPort = FreePort.Next();
        await using var server = await targets.StartOursAsync(stations: 1, mqttPort, extraYaml, rules);
        await using var station = await StationClient.ConnectAsync(new Uri($"wss://127.0.0.1:{server.Port}/{Targets.StationId(0)}"),
            Targets.StationId(0), Targets.Password, targets.Certificate, compression: false, CancellationToken.None);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await station.CallAsync("BootNotification", StationMessages.Boot, guard.Token);
        await station.CallAsync("StatusNotification", StationMessages.Occupied, guard.Token);
        await station.CallAsync("TransactionEvent", StationMessages.TransactionStarted("tx-latency"), guard.Token);
        await station.CallAsync("TransactionEvent", StationMessages.TransactionUpdated("tx-latency", 1, 1000), guard.Token);
        await using var mqtt = await ConnectMqttAsync(mqttPort, guard.Token);
        await Task.Delay(Settle, guard.Token); // the controller's start-up commands are over

        var waiting = (Expected: (Func<double, bool>?)null, Arrived: (TaskCompletionSource<long>?)null);
        var gate = new Lock();
        station.CallReceived = (action, payload, at) =>
        {
            if (action != "SetChargingProfile" || FirstLimit(payload) is not { } limit) return;
            lock (gate)
                if (waiting.Expected?.Invoke(limit) == true) waiting.Arrived!.TrySetResult(at);
        };

        var latencies = new List<double>(samples);
        var missed = 0;
        for (var i = 0; i < samples; i++)
        {
            var (topic, payload, expected) = sample(i);
            var arrived = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate) waiting = (expected, arrived);
            var sent = Stopwatch.GetTimestamp();
            await mqtt.PublishAsync(topic, payload);
            try
            {
                var at = await arrived.Task.WaitAsync(Guard, guard.Token);
                latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                missed++;
                if (missed <= 3) Console.Error.WriteLine($"{scenario}: no SetChargingProfile within {Guard.TotalSeconds:0} s after {topic} = {payload}");
            }
            await Task.Delay(Gap, guard.Token);
        }
        var sorted = latencies.Order().ToArray();
        return new LatencyMeasurement(scenario, sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99),
            sorted.Length == 0 ? double.NaN : sorted[^1], missed);
    }

    /// <summary>The embedded broker starts just after the OCPP port listens: retry until it accepts.</summary>
    private static async Task<TestMqttClient> ConnectMqttAsync(int port, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await TestMqttClient.ConnectAsync(port);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    /// <summary>The limit of the first period of the first schedule, or null when the profile has none.</summary>
    private static double? FirstLimit(JsonElement request)
        => request.TryGetProperty("chargingProfile", out var profile)
           && profile.TryGetProperty("chargingSchedule", out var schedules) && schedules.GetArrayLength() > 0
           && schedules[0].TryGetProperty("chargingSchedulePeriod", out var periods) && periods.GetArrayLength() > 0
           && periods[0].TryGetProperty("limit", out var limit)
            ? limit.GetDouble()
            : null;

    private static double Percentile(double[] sorted, double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
