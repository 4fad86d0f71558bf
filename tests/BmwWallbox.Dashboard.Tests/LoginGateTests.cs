using System.Net;
using BmwWallbox.Core;

namespace BmwWallbox.Dashboard.Tests;

public class LoginGateTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.168.1.50");

    [Fact]
    public void The_lock_out_lasts_one_window_and_counts_per_address()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-05-01T10:00:00Z"));
        var gate = new LoginGate("the-password", clock);
        for (var i = 0; i < LoginGate.MaxFailures; i++) Assert.Null(gate.TryLogin("wrong", Client).Token);

        Assert.Equal(LoginGate.Window, gate.TryLogin("the-password", Client).RetryAfter);
        Assert.NotNull(gate.TryLogin("the-password", IPAddress.Loopback).Token); // another address is not locked out
        clock.Advance(LoginGate.Window);
        var token = gate.TryLogin("the-password", Client).Token;

        Assert.NotNull(token);
        Assert.True(gate.IsLoggedIn(token));
        Assert.False(gate.IsLoggedIn("forged"));
    }

    [Fact]
    public void Without_a_password_everyone_is_in()
    {
        var gate = new LoginGate("", TimeProvider.System);

        Assert.False(gate.Required);
        Assert.True(gate.IsLoggedIn(null));
    }
}
