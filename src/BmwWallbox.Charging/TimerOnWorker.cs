namespace BmwWallbox.Charging;

/// <summary>
/// Creates a timer (disarmed) from the controller's <see cref="TimeProvider"/> whose firing queues
/// <paramref name="onDue"/> on the controller's worker: a part of the controller that needs a timer
/// gets one through this, so its reaction runs in line with every other step and command (quirk 1).
/// </summary>
internal delegate ITimer TimerOnWorker(Func<CancellationToken, Task> onDue);
