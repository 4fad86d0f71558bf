using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.State;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>
/// A box's first message after it connects is announced even when it changes nothing: the charge controller
/// links a box that only reconnected up at it (a booting box sends BootNotification first instead).
/// </summary>
public sealed class FirstMessageTests
{
    private readonly ManualClock _time = new(DateTimeOffset.Parse("2025-03-01T10:00:00Z"));
    private readonly List<WallboxEventKind> _seen = [];
    private readonly WallboxStateStore _store;
    private readonly object _connection = new();

    public FirstMessageTests()
    {
        _store = new WallboxStateStore([new StationOptions { Id = "A", Name = "a" }], _time, new TestLogs().CreateLogger("s"));
        _store.Changed += e => _seen.Add(e.Kind);
    }

    private void Connect(object? connection = null)
        => _store.Update("A", (t, now) => StateReducer.Connected(t, connection ?? _connection, now), fromBox: false);

    private void Disconnect(object? connection = null)
        => _store.Update("A", (t, now) => StateReducer.Disconnected(t, connection ?? _connection, now), fromBox: false);

    private void Status(ConnectorStatus status)
        => _store.Update("A", (t, now) => StateReducer.Status(t, new StatusNotificationRequest(now, status, 1, 1), now));

    [Fact]
    public void An_unchanged_status_as_the_first_message_after_a_connect_is_announced_once()
    {
        Connect();
        Status(ConnectorStatus.Available);
        Status(ConnectorStatus.Available); // reconnect
        Disconnect();
        Connect();
        Status(ConnectorStatus.Available);
        Status(ConnectorStatus.Available);

        Assert.Equal(
            [
                WallboxEventKind.Connected, WallboxEventKind.StatusChanged,
                WallboxEventKind.Disconnected,
                WallboxEventKind.Connected, WallboxEventKind.Heartbeat,
            ],
            _seen);
    }

    [Fact]
    public void The_end_of_a_replaced_connection_is_not_the_first_message_of_the_new_one()
    {
        var replaced = new object();
        Connect(replaced);
        Status(ConnectorStatus.Available);
        Connect(); // the box reconnected before its old socket was seen to close
        Disconnect(replaced);
        Assert.Equal([WallboxEventKind.Connected, WallboxEventKind.StatusChanged, WallboxEventKind.Connected], _seen);
        Status(ConnectorStatus.Available);

        Assert.Equal([WallboxEventKind.Connected, WallboxEventKind.StatusChanged, WallboxEventKind.Connected, WallboxEventKind.Heartbeat], _seen);
    }

    [Fact]
    public void A_first_message_that_changes_something_is_announced_as_that_change_only()
    {
        Connect();
        _store.Update("A", (t, now) => StateReducer.Boot(t, new BootNotificationRequest(new ChargingStationInfo("EIAW", "Delta"), BootReason.PowerUp), now));
        Status(ConnectorStatus.Available);

        Assert.Equal([WallboxEventKind.Connected, WallboxEventKind.Booted, WallboxEventKind.StatusChanged], _seen);
    }
}
