using BmwWallbox.Core;
using BmwWallbox.Planning;
using BmwWallbox.TestKit.Logging;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Planning.Tests;

/// <summary>Targets set at run time are kept in data_dir/plans.json and win over the config's standing target at the next start.</summary>
public sealed class PlanStoreTests : IDisposable
{
    private const string Id = "BMW-001";
    private const string Name = "garage";
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly string _dir = Directory.CreateTempSubdirectory("plans-").FullName;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 4, 15, 18, 0, 0, TimeSpan.FromHours(2)));
    private readonly SettableWallboxStates _states = new();
    private readonly TestLogs _logs = new();

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        _logs.AssertNoUnexpectedErrors();
    }

    private ChargePlans Plans(PlanTargetOptions? standing = null) => new(
        new PlanOptions { Stations = standing is null ? new Dictionary<string, PlanTargetOptions>() : new() { [Name] = standing } },
        [new PlanStation(Id, Name, 6, 16, 690)], _states, Berlin, _clock, _logs.CreateLogger("plan"), _dir);

    [Fact]
    public void A_target_set_at_run_time_is_restored_and_the_config_is_the_default_only_until_then()
    {
        var standing = new PlanTargetOptions { EnergyKwh = 10, By = "06:00" };
        using (var first = Plans(standing))
        {
            Assert.Equal("10 kWh by 06:00", first.TargetOf(Name)?.ToString());
            Assert.True(first.SetTarget(Name, new PlanTarget(30, null, new TimeOnly(6, 30, 15)), "mqtt").Ok);
        }
        using (var second = Plans(standing))
        {
            Assert.Equal(new PlanTarget(30, null, new TimeOnly(6, 30, 15)), second.TargetOf(Name));
            Assert.True(second.SetTarget(Name, null, "rule r").Ok);
        }
        using var third = Plans(standing);
        Assert.Null(third.TargetOf(Name));
    }

    [Fact]
    public void An_unreadable_file_is_logged_and_the_config_applies()
    {
        File.WriteAllText(Path.Combine(_dir, "plans.json"), "{ not json");
        using var plans = Plans(new PlanTargetOptions { EnergyKwh = 10 });
        Assert.Equal("10 kWh by 07:00", plans.TargetOf(Name)?.ToString());
        Assert.Contains(_logs.AtLeast(LogLevel.Warning), e => e.Message.Contains("unreadable plans file"));
    }

    [Fact]
    public void A_stored_soc_target_without_a_soc_signal_any_more_is_ignored_with_a_warning()
    {
        File.WriteAllText(Path.Combine(_dir, "plans.json"), """{ "garage": { "soc": 80, "by": "07:00" }, "gone": null }""");
        using var plans = Plans(new PlanTargetOptions { EnergyKwh = 10 });
        Assert.Equal("10 kWh by 07:00", plans.TargetOf(Name)?.ToString());
        Assert.Contains(_logs.AtLeast(LogLevel.Warning), e => e.Message.Contains("soc_signal is no longer configured"));
    }
}
