using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Runtime;
using BmwWallbox.Rules.Engine.Scheduling;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>cron: and at: — one timer on the injected clock, re-armed for the next occurrence after each firing.</summary>
internal sealed class ScheduleSource(ScheduleTrigger trigger, RuleScope scope) : ITriggerSource
{
    private readonly Lock _lock = new();
    private readonly TimeZoneInfo _zone = trigger.TimeZone ?? scope.TimeZone;
    private ITimer? _timer;
    private Action<TriggerFired>? _fire;
    private bool _disposed;

    public void Start(Action<TriggerFired> fire)
    {
        _fire = fire;
        Arm(scope.Time.GetUtcNow());
    }

    private void Arm(DateTimeOffset after)
    {
        lock (_lock)
        {
            if (_disposed) return;
            var next = CronSchedules.Next(trigger.Schedule, _zone, after);
            _timer?.Dispose();
            var due = next - scope.Time.GetUtcNow();
            _timer = scope.Time.CreateTimer(_ => Elapsed(next), null, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void Elapsed(DateTimeOffset due)
    {
        Arm(due);
        var local = TimeZoneInfo.ConvertTime(due, _zone);
        _fire?.Invoke(TriggerFired.Of("schedule", trigger.Describe(),
            ("scheduled", due.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")), ("local", local.ToString("yyyy-MM-dd HH:mm:ss zzz")), ("timeZone", _zone.Id)));
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }
}
