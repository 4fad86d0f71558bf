using BmwWallbox.Core;

namespace BmwWallbox.Composition;

/// <summary>
/// Where the rules' signals come from and where they publish: the MQTT bridge in the daemon, memory in
/// <c>simulate</c>. Built on the <see cref="ChargingCore"/> (the bridge publishes station state and takes commands).
/// </summary>
public interface IRuntimeIo : IAsyncDisposable
{
    ISignals Signals { get; }

    IMessageBus Bus { get; }

    Task StartAsync(CancellationToken ct);

    Task StopAsync(CancellationToken ct);
}
