using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>The few lines a user needs to see after start: where to point the box, what is loaded, what to fix.</summary>
internal static class StartupSummary
{
    private const int ListedStations = 20;

    public static void Log(Daemon daemon, ILogger logger)
    {
        var c = daemon.Config.Config!;
        var scheme = daemon.Server.IsSecure ? "wss" : "ws";
        var port = daemon.Server.Ports.FirstOrDefault();
        logger.LogInformation("OCPP server listening on {Scheme}://{Bind}:{Port}", scheme, c.Ocpp.Bind, port);
        // Each station's address while they fit on a screen; a large site gets one line, not one per station.
        if (c.Ocpp.Stations.Count <= ListedStations)
            foreach (var s in c.Ocpp.Stations)
                logger.LogInformation("Expecting station {StationId} ({Name}) at {Scheme}://<this host>:{Port}/{StationId}", s.Id, s.Name, scheme, port, s.Id);
        else
            logger.LogInformation("Expecting {Stations} at {Scheme}://<this host>:{Port}/<station id>",
                NameList.Stations([.. c.Ocpp.Stations.Select(s => s.Id)]), scheme, port);
        logger.LogInformation("MQTT: {Broker}, base topic {BaseTopic}",
            c.Mqtt.Broker is { } ext ? $"broker {ext.Host}:{ext.Port}" : $"embedded broker on {c.Mqtt.Bind}:{c.Mqtt.Port}", c.Mqtt.BaseTopic);
        var rules = daemon.RulesLoaded;
        if (rules is { Ok: true })
            logger.LogInformation("Rules: {Rules} rule(s) from {Files} file(s) in {Dir}", rules.Rules, rules.Files, daemon.Config.Resolve(c.Rules.Dir));
        else if (rules is not null)
            logger.LogWarning("Rules: {Errors} error(s), no rules running; run 'bmw-rules validate' for details", rules.Errors.Count);
        if (daemon.IsSelfSigned)
            logger.LogWarning("Serving a self-signed certificate: a real BMW box refuses it; it needs a public CA certificate matching the host name it dials (see README, 'Certificate')");
        if (c.Ocpp.AllowInsecure)
            logger.LogWarning("ocpp.allow_insecure is on: plain ws:// without TLS, for tests only");
    }
}
