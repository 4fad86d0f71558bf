using System.Globalization;
using MQTTnet;

namespace BmwWallbox.Rules.Demo;

/// <summary>
/// Plays the demo day into the embedded broker with an ordinary MQTT client, the way a home hub
/// publishes its meter: one solar and one house reading per virtual minute, retained.
/// </summary>
internal sealed class SolarDayPlayer(DemoDay day, int brokerPort, TimeProvider clock)
{
    private static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Publishes until <paramref name="ct"/> is cancelled, then disconnects cleanly.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", brokerPort)
            .WithClientId("bmw-rules-demo-meter")
            .WithTimeout(RealTimeout)
            .Build();
        await client.ConnectAsync(options, ct);
        try
        {
            // From the current virtual minute on: its sample is published at once.
            var now = clock.GetUtcNow();
            var start = now - TimeSpan.FromTicks(now.Ticks % TimeSpan.TicksPerMinute);
            foreach (var (at, sample) in day.From(start, clock.LocalTimeZone))
            {
                ct.ThrowIfCancellationRequested(); // also when running late, with no delay to cancel
                var wait = at - clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct);
                await PublishAsync(client, DemoConfig.SolarTopic, sample.SolarW);
                await PublishAsync(client, DemoConfig.HouseTopic, sample.HouseW);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            using var timeout = new CancellationTokenSource(RealTimeout);
            if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
        }
    }

    /// <summary>
    /// Not cancelled by the stop token: a publish cut off half-way leaves a partial packet on the socket,
    /// and the broker then reads the DISCONNECT that follows as the rest of the payload.
    /// </summary>
    private static async Task PublishAsync(IMqttClient client, string topic, double value)
    {
        using var timeout = new CancellationTokenSource(RealTimeout);
        await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(value.ToString("0", CultureInfo.InvariantCulture))
            .WithRetainFlag()
            .Build(), timeout.Token);
    }
}
