using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace BmwWallbox.Mqtt;

/// <summary>
/// The in-process MQTT broker of <c>mqtt.broker: embedded</c>: no install needed, and other hubs
/// (Home Assistant, Node-RED) can connect to it. Listens only on <c>mqtt.bind</c> (loopback by default);
/// who may connect and publish what is decided by <see cref="BrokerAccess"/>.
/// </summary>
public sealed class EmbeddedMqttBroker : IAsyncDisposable
{
    private readonly IPAddress _address;
    private readonly ILogger _log;
    private readonly BrokerAccess _access;
    private readonly int _maxPendingMessagesPerClient;
    private readonly SubscriberPacing _pacing;
    private readonly SubscribeGate _subscribeGate = new();
    private MqttServer? _server;

    public EmbeddedMqttBroker(string bind, int port, ILogger<EmbeddedMqttBroker> log)
        : this(bind, port, log, new BrokerAccess(new MqttOptions(), ClientOptionsFactory.EmbeddedClientId, Guid.NewGuid().ToString("N")), new MqttOptions().MaxPendingMessagesPerClient)
    {
    }

    /// <summary>An IP address, or "localhost" for 127.0.0.1 (the broker listens on one address).</summary>
    internal static bool TryParseBind(string bind, out IPAddress address) =>
        IPAddress.TryParse(bind == "localhost" ? "127.0.0.1" : bind, out address!);

    internal EmbeddedMqttBroker(string bind, int port, ILogger<EmbeddedMqttBroker> log, BrokerAccess access, int maxPendingMessagesPerClient)
    {
        if (!TryParseBind(bind, out var address))
            throw new ArgumentException($"mqtt.bind must be an IP address such as 127.0.0.1 or 0.0.0.0, got '{bind}'", nameof(bind));
        if (port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), $"mqtt.port must be 1..65535, got {port}");
        _address = address;
        Port = port;
        _log = log;
        _access = access;
        _maxPendingMessagesPerClient = maxPendingMessagesPerClient;
        _pacing = new SubscriberPacing(maxPendingMessagesPerClient);
    }

    /// <summary>A command on its way to the bridge was dropped because the bridge's queue was full.</summary>
    internal event Action? CommandDropped;

    public int Port { get; }

    public bool IsRunning => _server?.IsStarted == true;

    /// <summary>The running MQTTnet server, for tests that need its events.</summary>
    internal MqttServer? Server => _server;

    /// <summary>
    /// Publishes a message of the bridge straight into the broker: no serialising, no loopback TCP, no round
    /// trip. Stored (when retained) and delivered to subscribers exactly as if the bridge's client had sent it,
    /// also to a client subscribing at that moment (<see cref="SubscribeGate"/>); returns when the subscribers'
    /// queues have room again (<see cref="SubscriberPacing"/>). One caller at a time.
    /// </summary>
    internal async Task PublishFromBridgeAsync(MqttApplicationMessage message, CancellationToken ct)
    {
        var server = _server ?? throw new InvalidOperationException("The embedded MQTT broker is not running");
        await _subscribeGate.WaitAsync(ct);
        try { await server.InjectApplicationMessage(_access.FromBridge(message), ct); }
        finally { _subscribeGate.Release(); }
        await _pacing.WaitForRoomAsync(server, ct);
    }

    /// <summary>Throws with a clear message when the port is taken (often: mosquitto is already installed).</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (_server is not null) throw new InvalidOperationException("The embedded MQTT broker is already started");
        var ipv4 = _address.AddressFamily == AddressFamily.InterNetwork;
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(Port)
            // IPAddress.None switches the other address family off, so loopback really means loopback.
            .WithDefaultEndpointBoundIPAddress(ipv4 ? _address : IPAddress.None)
            .WithDefaultEndpointBoundIPV6Address(ipv4 ? IPAddress.None : _address)
            .WithMaxPendingMessagesPerClient(_maxPendingMessagesPerClient)
            .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        server.ValidatingConnectionAsync += ValidateConnection;
        server.InterceptingPublishAsync += AuthorizePublish;
        server.QueuedApplicationMessageOverwrittenAsync += OnQueueOverflow;
        _subscribeGate.Attach(server);
        try
        {
            await server.StartAsync();
        }
        catch (SocketException ex)
        {
            server.Dispose();
            throw new InvalidOperationException(
                $"The embedded MQTT broker cannot listen on {_address}:{Port} ({ex.SocketErrorCode}). " +
                "Another broker may already use this port: set mqtt.port, or set mqtt.broker to that broker's host.", ex);
        }
        _server = server;
        _log.LogInformation("Embedded MQTT broker listening on {Address}:{Port}", _address, Port);
        if (IsExposedWithoutLogin(_address, _access.RequiresLogin))
            _log.LogWarning("The embedded MQTT broker listens on {Address} without authentication: anyone on the network can set the current or reboot the wallbox. Add mqtt.users", _address);
    }

    /// <summary>Reachable from other machines while anyone may connect: worth a warning (also shown by doctor).</summary>
    internal static bool IsExposedWithoutLogin(IPAddress bind, bool requiresLogin) => !IPAddress.IsLoopback(bind) && !requiresLogin;

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        AssignMissingClientId(e);
        if (_access.Authenticate(e) is { } refusal)
            _log.LogWarning("MQTT: refused a connection from {Endpoint}: {Reason}", e.RemoteEndPoint, refusal);
        return Task.CompletedTask;
    }

    private Task AuthorizePublish(InterceptingPublishEventArgs e)
    {
        if (_access.Authorize(e) is { } refusal && BrokerAccess.FirstRefusal(e.SessionItems))
            _log.LogWarning("MQTT: client {Client} (user {User}) {Reason}; refused publish to {Topic} (further refusals for this client are not logged)",
                ShortQuote.Of(e.ClientId), ShortQuote.Of(e.UserName ?? ""), refusal, ShortQuote.Of(e.ApplicationMessage.Topic));
        return Task.CompletedTask;
    }

    private Task OnQueueOverflow(QueueMessageOverwrittenEventArgs e)
    {
        if (e.ReceiverClientId == ClientOptionsFactory.EmbeddedClientId && e.Packet is MqttPublishPacket publish && _access.IsCommandTopic(publish.Topic))
            CommandDropped?.Invoke();
        return Task.CompletedTask;
    }

    /// <summary>
    /// mosquitto_sub/pub and many hubs connect without a client id and expect the broker to assign
    /// one (MQTT 3.1.1 §3.1.3.1, MQTT 5 "Assigned Client Identifier"), as mosquitto does.
    /// </summary>
    private static void AssignMissingClientId(ValidatingConnectionEventArgs e)
    {
        if (!string.IsNullOrEmpty(e.ClientId)) return;
        var id = "auto-" + Guid.NewGuid().ToString("N");
        if (e.ProtocolVersion == MqttProtocolVersion.V500)
            e.AssignedClientIdentifier = id;
        // MQTTnet assigns ids to MQTT 5 clients only; MQTT 3.1.1 allows it for clean sessions
        // (MQTT-3.1.3-6), so set it on the CONNECT packet the event wraps.
        else if (e.CleanSession == true && ConnectPacket?.GetValue(e) is MqttConnectPacket packet)
            packet.ClientId = id;
    }

    private static readonly FieldInfo? ConnectPacket =
        typeof(ValidatingConnectionEventArgs).GetField("_connectPacket", BindingFlags.NonPublic | BindingFlags.Instance);

    public async Task StopAsync(CancellationToken ct = default)
    {
        if (_server is not { } server) return;
        _server = null;
        await server.StopAsync(new MqttServerStopOptionsBuilder().Build()).WaitAsync(ct);
        server.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (Exception ex) { _log.LogDebug("Embedded MQTT broker stop failed ({Error})", ex.Message); }
    }
}
