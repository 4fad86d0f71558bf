using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace BmwWallbox.Mqtt.Tests.Infrastructure;

/// <summary>A FakeTimeProvider that reports each timer created, so a test advances time only once the code waits on it.</summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created.</summary>
    public Task<TimeSpan> NextTimerAsync() => _timers.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard);
}
