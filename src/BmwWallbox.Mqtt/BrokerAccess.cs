using System.Collections;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BmwWallbox.Core;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Who may connect to the embedded broker and publish what. With <c>mqtt.users</c> a client needs
/// one of those usernames and passwords (without, anyone may connect). Commands
/// (<c>&lt;base&gt;/&lt;name&gt;/set/…</c>) need a user with <c>can_command</c> (without users: anyone).
/// Everything else under <c>&lt;base&gt;/</c> and our discovery configs only the bridge may publish,
/// so nobody can fake a retained <c>offline</c> or limit. The bridge's client id is reserved: it
/// needs a secret made at each start, so no client can take over (and knock off) the bridge's session.
/// </summary>
internal sealed class BrokerAccess(MqttOptions options, string bridgeClientId, string bridgeSecret)
{
    private const string IsBridge = "bmw-rules.bridge";
    private const string MayCommand = "bmw-rules.can_command";
    private const string RefusalLogged = "bmw-rules.refusal_logged";

    // What the bridge's own messages handed to the broker in process carry instead of a client session.
    private readonly IDictionary _bridgeItems = new ConcurrentDictionary<object, object> { [IsBridge] = true };

    public bool RequiresLogin => options.Users.Count > 0;

    /// <summary>
    /// A message of the bridge handed to the broker in process. MQTTnet runs <see cref="Authorize"/> on it
    /// too, with this sender and these items: the bridge's own client id and rights, as if its client had published it.
    /// </summary>
    public InjectedMqttApplicationMessage FromBridge(MqttApplicationMessage message)
        => new(message) { SenderClientId = bridgeClientId, CustomSessionItems = _bridgeItems };

    /// <summary>Decides a CONNECT; returns why it was refused (for the log), or null when accepted.</summary>
    public string? Authenticate(ValidatingConnectionEventArgs e)
    {
        if (e.ClientId == bridgeClientId)
        {
            if (SameSecret(e.Password, bridgeSecret))
            {
                e.SessionItems[IsBridge] = true;
                return null;
            }
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            return $"client id '{bridgeClientId}' is reserved for bmw-rules itself";
        }
        if (!RequiresLogin)
        {
            e.SessionItems[MayCommand] = true;
            return null;
        }
        var user = options.Users.FirstOrDefault(u => u.Username == e.UserName);
        // Compared even for an unknown user, so the answer time does not tell which names exist.
        var passwordOk = SameSecret(e.Password, user?.Password ?? bridgeSecret);
        if (user is null || !passwordOk)
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return $"bad username or password (user '{ShortQuote.Of(e.UserName ?? "")}')";
        }
        e.SessionItems[MayCommand] = user.CanCommand;
        return null;
    }

    /// <summary>Decides a PUBLISH (also a will); returns why it was refused, or null when allowed.</summary>
    public string? Authorize(InterceptingPublishEventArgs e)
    {
        if (Is(e.SessionItems, IsBridge)) return null;
        var topic = e.ApplicationMessage.Topic;
        string? refusal = null;
        if (IsCommandTopic(topic))
        {
            if (!Is(e.SessionItems, MayCommand)) refusal = "may not send commands (needs a user with can_command: true)";
        }
        else if (IsOwnStateTopic(topic))
        {
            refusal = "may not publish to state topics; only bmw-rules publishes there";
        }
        if (refusal is null) return null;
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        return refusal;
    }

    /// <summary>True the first time per client connection: one log line per refused client, not per message.</summary>
    public static bool FirstRefusal(IDictionary sessionItems)
    {
        if (sessionItems.Contains(RefusalLogged)) return false;
        sessionItems[RefusalLogged] = true;
        return true;
    }

    /// <summary><c>&lt;base&gt;/&lt;name&gt;/set/&lt;verb&gt;</c>, and a person's decision on an unknown station (<c>&lt;base&gt;/stations/approve</c>, <c>reject</c>).</summary>
    public bool IsCommandTopic(string topic)
    {
        if (!topic.StartsWith(options.BaseTopic + "/", StringComparison.Ordinal)) return false;
        var levels = topic[(options.BaseTopic.Length + 1)..].Split('/');
        return (levels.Length == 3 && levels[1] == "set") || levels is [TopicLayout.FleetLevel, "approve" or "reject"];
    }

    private bool IsOwnStateTopic(string topic)
        => topic.StartsWith(options.BaseTopic + "/", StringComparison.Ordinal)
           || (topic.StartsWith(options.DiscoveryPrefix + "/", StringComparison.Ordinal)
               && topic[(options.DiscoveryPrefix.Length + 1)..].Split('/') is [_, var node, ..] && node.StartsWith(HomeAssistantDiscovery.NodePrefix, StringComparison.Ordinal));

    private static bool Is(IDictionary items, string key) => items[key] is true;

    private static bool SameSecret(string? given, string expected)
        => CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given ?? "")), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
