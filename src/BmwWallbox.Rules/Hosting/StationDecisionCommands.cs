using System.Text.Json.Nodes;
using BmwWallbox.Core;
using BmwWallbox.Mqtt;
using BmwWallbox.Ocpp;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// A person's decision on an unknown station over MQTT (for Home Assistant): the station id as the payload of
/// <c>&lt;base&gt;/stations/approve</c> or <c>&lt;base&gt;/stations/reject</c>, answered on <c>&lt;base&gt;/stations/result</c>
/// like a station's command. It changes data_dir/stations.json as <c>bmw-rules stations --approve</c> does; what the change
/// means for the running daemon (a reload, a closed connection) is <see cref="LiveDaemon"/>'s.
/// </summary>
internal sealed class StationDecisionCommands(StationApprovals approvals, MqttBridge bridge, ILogger<StationDecisionCommands> log) : IDisposable
{
    private readonly TopicLayout _topics = bridge.Bus.Topics;
    private IDisposable? _approve;
    private IDisposable? _reject;

    public void Start()
    {
        _approve = bridge.SubscribeCommands(_topics.StationsApprove, (_, payload) => Answer("approve", Decide("approve", payload)));
        _reject = bridge.SubscribeCommands(_topics.StationsReject, (_, payload) => Answer("reject", Decide("reject", payload)));
    }

    public void Dispose()
    {
        _approve?.Dispose();
        _reject?.Dispose();
    }

    /// <summary>What the decision did, or why it changed nothing.</summary>
    internal (bool Ok, string Reason) Decide(string action, string payload)
    {
        var id = payload.Trim();
        if (!OcppOptions.IsValidStationId(id))
            return (false, $"The payload must be the id of a station waiting for approval, got '{Short(id)}' ({OcppOptions.StationIdRule})");
        try
        {
            var done = action == "approve" ? approvals.Approve(id) : approvals.Reject(id);
            if (!done) return (false, $"No unknown station '{id}'; {_topics.StationsPending} lists them");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            log.LogError("MQTT {Action} of {StationId} failed: {Problem}", action, id, e.Message);
            return (false, $"Failed: {e.Message}");
        }
        log.LogWarning("MQTT: station {StationId} {Decision} by a person", id, action == "approve" ? "approved" : "rejected");
        return (true, action == "approve"
            ? $"{id} approved: served as a station in a moment (bmw-rules reloads; connected boxes reconnect)"
            : $"{id} rejected: it gets HTTP 404 from now on");
    }

    /// <summary>Anyone can send a long payload; the answer quotes its start (JSON escapes control characters).</summary>
    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private void Answer(string action, (bool Ok, string Reason) result)
        => _ = bridge.Bus.PublishAsync(_topics.StationsResult, new JsonObject { ["action"] = action, ["ok"] = result.Ok, ["reason"] = result.Reason }.ToJsonString());
}
