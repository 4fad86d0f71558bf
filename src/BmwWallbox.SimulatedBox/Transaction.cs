using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>The box's live transaction, with the per-transaction quirk state.</summary>
internal sealed class Transaction(string id, DateTimeOffset startedAt)
{
    public string Id { get; set; } = id;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public int NextSeqNo { get; set; }
    public string ChargingState { get; set; } = "EVConnected";
    public bool HasCharged { get; set; }
    /// <summary>Quirk 3: replacements seen per TxProfile id.</summary>
    public Dictionary<int, int> Replacements { get; } = [];
    /// <summary>Quirk 3: after one rejected replacement every TxProfile on this transaction is rejected.</summary>
    public bool ProfilesPoisoned { get; set; }
    /// <summary>Quirk 8: the stale non-phased Current.Import.</summary>
    public double? FrozenCurrent { get; set; }
    public int? RemoteStartId { get; set; }
    public JsonObject? IdToken { get; set; }
    /// <summary>Energy may flow: authorized by an id token, or authorization is off (AuthCtrlr.Enabled false).</summary>
    public bool Authorized { get; set; }
}
