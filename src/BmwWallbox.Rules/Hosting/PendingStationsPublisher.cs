using System.Text.Json.Nodes;
using BmwWallbox.Core;
using BmwWallbox.Ocpp;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// Publishes the unknown stations and their state (pending, approved, rejected) retained on <c>&lt;base&gt;/stations/pending</c>
/// as a JSON array, at start and on every change, so a person sees who knocks. Passwords stay out.
/// </summary>
internal sealed class PendingStationsPublisher(StationApprovals approvals, IMessageBus bus, ILogger<PendingStationsPublisher> log) : IDisposable
{
    private bool _started;

    public string Topic => bus.Topics.StationsPending;

    public void Start()
    {
        approvals.Changed += Publish;
        _started = true;
        Publish();
    }

    public void Dispose()
    {
        if (_started) approvals.Changed -= Publish;
    }

    /// <summary>The list as published: what a person needs to decide, without the password.</summary>
    public static string Payload(IEnumerable<UnknownStation> stations) => new JsonArray([.. stations.Select(s => new JsonObject
    {
        ["id"] = s.Id, ["status"] = s.Status.ToString().ToLowerInvariant(), ["first_seen"] = s.FirstSeen, ["last_seen"] = s.LastSeen, ["remote"] = s.Remote,
        ["vendor"] = s.Vendor, ["model"] = s.Model, ["serial_number"] = s.SerialNumber, ["group"] = s.Group,
    })]).ToJsonString();

    private void Publish()
    {
        try
        {
            _ = bus.PublishAsync(Topic, Payload(approvals.All), retain: true);
        }
        catch (InvalidDataException e)
        {
            log.LogError("{Problem}", e.Message);
        }
    }
}
