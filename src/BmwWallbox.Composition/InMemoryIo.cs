using BmwWallbox.Core;

namespace BmwWallbox.Composition;

/// <summary>Signals set in process and a bus that stays in process: the I/O of a run without MQTT.</summary>
public sealed class InMemoryIo(IEnumerable<SignalDefinition> signals, TimeProvider time) : IRuntimeIo
{
    /// <summary>The signals; whoever drives the run sets their values.</summary>
    public SignalStore Store { get; } = new(signals, time);

    public ISignals Signals => Store;

    public IMessageBus Bus { get; } = new InMemoryMessageBus();

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Store.Dispose();
        return ValueTask.CompletedTask;
    }
}
