using System.Globalization;
using System.Text.Json;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Publishes each station's last finished charging session, retained, as JSON on
/// <c>&lt;base&gt;/&lt;name&gt;/session/last</c> (at start from the history, then whenever a session ends),
/// and its Home Assistant sensors (<see cref="SessionDiscovery"/>). The id token (an RFID card's id)
/// stays out: it is the history's, not every MQTT client's.
/// </summary>
public sealed class SessionPublisher(MqttOptions options, ISessionHistory history, IChargeControllers stations, IMessageBus bus,
    string currency, ILogger<SessionPublisher> log) : IDisposable
{
    private readonly TopicLayout _topics = new(options.BaseTopic);
    private bool _started;

    public async Task StartAsync(CancellationToken ct)
    {
        history.SessionChanged += OnSessionChanged;
        _started = true;
        foreach (var station in stations.All)
        {
            if (options.HomeassistantDiscovery)
                foreach (var (topic, payload) in SessionDiscovery.Configs(options, station.StationId, station.Name, currency))
                    await bus.PublishAsync(topic, payload, retain: true, ct);
        }
        var sessions = await history.QueryAsync(new SessionQuery(), ct);
        foreach (var last in sessions.Where(s => s.EndedAt is not null).GroupBy(s => s.StationId).Select(g => g.MaxBy(s => s.EndedAt)!))
            await PublishAsync(last);
    }

    public void Dispose()
    {
        if (_started) history.SessionChanged -= OnSessionChanged;
    }

    private void OnSessionChanged(ChargingSession session)
    {
        if (session.EndedAt is null) return;
        _ = PublishAsync(session);
    }

    private async Task PublishAsync(ChargingSession s)
    {
        try
        {
            await bus.PublishAsync(SessionDiscovery.LastTopic(_topics, s.StationName), Payload(s), retain: true);
        }
        catch (Exception ex)
        {
            // Runs in the history's event: never throw back into it.
            log.LogError(ex, "Publishing the last session of {Station} failed", s.StationName);
        }
    }

    private static readonly SessionPayloadJson Json = new(ReadableJson.Of(SessionPayloadJson.Default.Options));

    /// <summary>The retained JSON: UTC times, kWh, W, minutes; null where not known (no surplus or price signal).</summary>
    internal static string Payload(ChargingSession s) => JsonSerializer.Serialize(new SessionPayload(
        s.Id,
        s.StationName,
        s.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        s.EndedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        s.EndReason,
        Math.Round(s.EnergyKWh, 3),
        Round(s.SolarKWh, 3),
        Round(s.GridKWh, 3),
        Round(s.SolarShare, 3),
        Round(s.Cost, 4),
        s.Currency,
        Math.Round(s.MaxPowerW),
        Math.Round(s.AvgPowerW),
        Math.Round(s.ChargingTime.TotalMinutes, 1),
        Math.Round(s.PausedTime.TotalMinutes, 1),
        s.LimitSources.ToDictionary(l => l.Source, l => Math.Round(l.Duration.TotalMinutes, 1))), Json.SessionPayload);

    private static double? Round(double? v, int digits) => v is { } x ? Math.Round(x, digits) : null;
}
