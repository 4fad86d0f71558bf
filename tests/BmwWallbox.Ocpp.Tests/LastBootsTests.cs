using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.TestKit.Logging;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>data_dir/boots.json: what the boxes said at their last boot, known again after a restart of bmw-rules.</summary>
public sealed class LastBootsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-boots-").FullName;
    private readonly ManualClock _time = new(DateTimeOffset.Parse("2026-06-01T12:00:00Z"));
    private readonly TestLogs _logs = new();

    private string FilePath => Path.Combine(_dir, LastBoots.FileName);

    private static BootInfo Boot(string firmware, DateTimeOffset at) => new("BMW Group", "EIAW-E22KTSE6B04", "SN-1", firmware, "PowerUp", at);

    private LastBoots Open(params string[] stations) => new(FilePath, stations, _time, _logs.CreateLogger("LastBoots"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_boot_is_written_after_the_write_delay_and_read_back_by_the_next_start()
    {
        var boot = Boot("01.20.06.71", _time.GetUtcNow());
        using (var boots = Open("A", "B"))
        {
            boots.Record("A", boot);
            _time.Advance(LastBoots.WriteDelay - TimeSpan.FromSeconds(1));
            Assert.False(File.Exists(FilePath));
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(File.Exists(FilePath));
        }

        using var next = Open("A", "B");
        Assert.Equal(boot, next.Of("A"));
        Assert.Null(next.Of("B"));
    }

    [Fact]
    public void A_burst_of_boots_is_one_write_with_every_station()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"S{i}").ToArray();
        using var boots = Open(ids);
        foreach (var id in ids)
        {
            boots.Record(id, Boot("1", _time.GetUtcNow()));
            _time.Advance(TimeSpan.FromMilliseconds(4)); // 1,000 boots in 4 s, within one delay
            Assert.False(File.Exists(FilePath));
        }

        _time.Advance(LastBoots.WriteDelay);

        using var stored = JsonDocument.Parse(File.ReadAllText(FilePath));
        Assert.Equal(1000, stored.RootElement.GetProperty("stations").EnumerateObject().Count());
    }

    [Fact]
    public void Stopping_writes_what_is_not_written_yet_and_a_later_boot_replaces_the_earlier()
    {
        using (var boots = Open("A"))
        {
            boots.Record("A", Boot("1", _time.GetUtcNow()));
            _time.Advance(LastBoots.WriteDelay);
            boots.Record("A", Boot("2", _time.GetUtcNow())); // a firmware update, then bmw-rules stops at once
        }

        using var next = Open("A");
        Assert.Equal("2", next.Of("A")!.FirmwareVersion);
    }

    [Fact]
    public void A_station_no_longer_configured_is_dropped_from_the_file()
    {
        using (var boots = Open("A", "B"))
        {
            boots.Record("A", Boot("1", _time.GetUtcNow()));
            boots.Record("B", Boot("1", _time.GetUtcNow()));
        }
        using (var boots = Open("A"))
            boots.Record("A", Boot("2", _time.GetUtcNow()));

        using var next = Open("A", "B");
        Assert.NotNull(next.Of("A"));
        Assert.Null(next.Of("B"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"version":1,"stations":{"A":{"vendor":null,"model":"M","reason":"PowerUp","at":"2026-06-01T12:00:00Z"}}}""")]
    [InlineData("""{"version":1,"stations":{"A":{"model":"M","reason":"PowerUp","at":"2026-06-01T12:00:00Z"}}}""")]
    public void An_unreadable_file_is_named_in_a_warning_and_replaced_at_the_next_boot(string text)
    {
        File.WriteAllText(FilePath, text);

        using (var boots = Open("A"))
        {
            Assert.Null(boots.Of("A"));
            var warning = Assert.Single(_logs.AtLeast(LogLevel.Warning));
            Assert.Contains(FilePath, warning.Message);
            boots.Record("A", Boot("1", _time.GetUtcNow()));
        }

        using var next = Open("A");
        Assert.Equal("1", next.Of("A")!.FirmwareVersion);
    }
}
