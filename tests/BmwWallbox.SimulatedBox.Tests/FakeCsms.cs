using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox.Tests;

/// <summary>An in-process CSMS that answers everything and remembers what the box sent.</summary>
internal sealed class FakeCsms : ICsmsChannel
{
    private readonly object _lock = new();
    private readonly List<(string Action, JsonObject Payload)> _received = [];
    private readonly List<string> _closed = [];

    public string BootStatus { get; set; } = "Accepted";
    /// <summary>Actions answered with a CALLERROR (quirk 2 tests).</summary>
    public HashSet<string> ErrorFor { get; } = [];

    public IReadOnlyList<(string Action, JsonObject Payload)> Received { get { lock (_lock) return [.. _received]; } }
    public IReadOnlyList<string> Closed { get { lock (_lock) return [.. _closed]; } }

    public IReadOnlyList<JsonObject> Of(string action) => [.. Received.Where(m => m.Action == action).Select(m => m.Payload)];

    public IReadOnlyList<string> Actions => [.. Received.Select(m => m.Action)];

    public void Clear() { lock (_lock) _received.Clear(); }

    public Task<JsonNode> CallAsync(string action, JsonObject payload, CancellationToken cancellationToken)
    {
        lock (_lock) _received.Add((action, payload));
        if (ErrorFor.Contains(action)) throw new OcppCallErrorException("NotImplemented", $"fake CSMS does not know {action}");
        JsonNode answer = action switch
        {
            "BootNotification" => new JsonObject { ["currentTime"] = "2025-06-01T08:00:00Z", ["interval"] = 10, ["status"] = BootStatus },
            "Heartbeat" => new JsonObject { ["currentTime"] = "2025-06-01T08:00:00Z" },
            _ => new JsonObject(),
        };
        return Task.FromResult(answer);
    }

    public void Close(string reason) { lock (_lock) _closed.Add(reason); }
}
