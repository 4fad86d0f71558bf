using System.Threading.Channels;
using BmwWallbox.Core;

namespace BmwWallbox.Ocpp.Tests.Support;

/// <summary>Collects <see cref="IWallboxStates.Changed"/> events so a test can await the one it expects.</summary>
public sealed class StateWatcher : IDisposable
{
    private readonly IWallboxStates _states;
    private readonly Channel<WallboxEvent> _events = Channel.CreateUnbounded<WallboxEvent>();

    public StateWatcher(IWallboxStates states)
    {
        _states = states;
        _states.Changed += OnChanged;
    }

    /// <summary>Skips events until one of <paramref name="kind"/> arrives (10 s failure guard).</summary>
    public async Task<WallboxEvent> NextAsync(WallboxEventKind kind)
    {
        using var guard = new CancellationTokenSource(TestTimeouts.Guard);
        while (true)
        {
            var e = await _events.Reader.ReadAsync(guard.Token);
            if (e.Kind == kind) return e;
        }
    }

    public List<WallboxEventKind> Drain()
    {
        var kinds = new List<WallboxEventKind>();
        while (_events.Reader.TryRead(out var e)) kinds.Add(e.Kind);
        return kinds;
    }

    public void Dispose() => _states.Changed -= OnChanged;

    private void OnChanged(WallboxEvent e) => _events.Writer.TryWrite(e);
}
