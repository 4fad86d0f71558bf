namespace BmwWallbox.Mqtt;

/// <summary>Payloads of <c>&lt;base&gt;/status</c> (retained; the last will says offline).</summary>
internal static class BridgeStatus
{
    public const string Online = "online";
    public const string Offline = "offline";
}
