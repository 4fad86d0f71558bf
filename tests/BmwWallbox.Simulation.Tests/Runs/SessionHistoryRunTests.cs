using System.Globalization;
using BmwWallbox.History;

namespace BmwWallbox.Simulation.Tests.Runs;

/// <summary><c>simulate</c> records its sessions as the daemon does: sessions.csv and history.db in the output folder.</summary>
public sealed class SessionHistoryRunTests
{
    [Fact]
    public async Task A_simulated_day_writes_its_session_with_the_energy_the_car_charged()
    {
        using var h = new SimulationHarness("solar-pause.yaml");
        var car = new CarOptions { PlugIn = new TimeOnly(5, 0), Departure = new TimeOnly(21, 0), BatteryKwh = 100, StartSoc = 10, MaxCurrent = 8 };
        var setup = h.Setup(car) with { History = new HistoryOptions { SurplusSignal = "solar_power", PriceSignal = "price", FixedPrice = 0.25 } };

        var result = await h.RunAsync("sunny-day.csv", setup);

        Assert.Equal(Path.Combine(h.OutDir, "sessions.csv"), result.SessionsPath);
        Assert.True(File.Exists(Path.Combine(h.OutDir, "history.db")));
        var lines = File.ReadAllLines(result.SessionsPath!);
        var header = lines[0].Split(',');
        var session = Assert.Single(lines.Skip(1)).Split(',').Select((v, i) => (header[i], v)).ToDictionary(p => p.Item1, p => p.v);
        double Number(string column) => double.Parse(session[column], CultureInfo.InvariantCulture);
        Assert.Equal(result.Summary.ChargedKwh, Number("energy_kwh"), 1);
        Assert.Equal("EVDisconnected", session["end_reason"]);
        Assert.StartsWith("2026-", session["started_at"]);
        Assert.InRange(Number("solar_share"), 0.5, 1); // solar-pause charges in the sun only
        Assert.True(Number("cost") > 0);
        Assert.Contains("solar-pause=", session["limit_sources"]);
    }

    [Fact]
    public async Task Without_a_history_section_nothing_is_recorded()
    {
        using var h = new SimulationHarness("solar-pause.yaml");

        var result = await h.RunAsync("sunny-day.csv");

        Assert.Null(result.SessionsPath);
        Assert.False(File.Exists(Path.Combine(h.OutDir, "history.db")));
    }
}
