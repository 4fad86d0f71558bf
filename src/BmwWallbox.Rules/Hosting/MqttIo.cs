using BmwWallbox.Composition;
using BmwWallbox.Core;
using BmwWallbox.Mqtt;

namespace BmwWallbox.Rules.Hosting;

/// <summary>The daemon's I/O: the MQTT bridge. A taken broker port becomes a <see cref="PortInUseException"/> naming mqtt.port.</summary>
internal sealed class MqttIo(MqttBridge bridge, MqttOptions options) : IRuntimeIo
{
    public ISignals Signals => bridge.Signals;

    public IMessageBus Bus => bridge.Bus;

    public Task StartAsync(CancellationToken ct) =>
        PortInUseException.GuardAsync(() => bridge.StartAsync(ct), "MQTT broker", options.Bind, options.Port, "mqtt.port");

    public Task StopAsync(CancellationToken ct) => bridge.StopAsync(ct);

    public ValueTask DisposeAsync() => bridge.DisposeAsync();
}
