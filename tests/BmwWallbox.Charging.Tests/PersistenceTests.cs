using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-charging-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Manual_claims_survive_a_restart_and_rule_claims_do_not()
    {
        var time = new ManualClock(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));
        await using (var first = new Harness(dataDirectory: _dir, time: time))
        {
            await first.Claim("mqtt", 10, ClaimKind.Manual, expiresAt: time.GetUtcNow().AddHours(2));
            await first.Claim("rule:solar", 8);
        }

        var file = Assert.Single(Directory.GetFiles(_dir));
        Assert.EndsWith("claims-garage.json", file);
        var json = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain("rule:solar", json);
        Assert.Contains("2025-06-01T10:00:00Z", json);

        await using var second = new Harness(dataDirectory: _dir, time: time);
        var claim = Assert.Single(second.Control.Claims);
        Assert.Equal(("mqtt", 10.0, ClaimKind.Manual), (claim.Source, claim.Amps, claim.Kind));
        Assert.Equal(time.GetUtcNow().AddHours(2), claim.ExpiresAt);
        Assert.Equal("mqtt", second.Control.LimitSource);
    }

    [Fact]
    public async Task Claims_that_expired_while_stopped_are_dropped_at_start()
    {
        var time = new ManualClock(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));
        await using (var first = new Harness(dataDirectory: _dir, time: time))
            await first.Claim("mqtt", 10, ClaimKind.Manual, expiresAt: time.GetUtcNow().AddHours(1));

        time.Advance(TimeSpan.FromHours(2));
        await using var second = new Harness(dataDirectory: _dir, time: time);

        Assert.Empty(second.Control.Claims);
    }

    [Fact]
    public async Task A_released_manual_claim_is_gone_after_a_restart_and_no_temp_file_is_left()
    {
        await using (var first = new Harness(dataDirectory: _dir))
        {
            await first.Claim("cli", 0, ClaimKind.Manual);
            await first.Release("cli");
        }

        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        await using var second = new Harness(dataDirectory: _dir);
        Assert.Empty(second.Control.Claims);
    }

    [Fact]
    public async Task An_unreadable_file_is_reported_and_ignored()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "claims-garage.json"), "{ not json");

        await using var h = new Harness(dataDirectory: _dir);

        Assert.Empty(h.Control.Claims);
        Assert.Contains(h.Log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("unreadable"));
    }
}
