using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.History;
using BmwWallbox.Rules.Cli;

namespace BmwWallbox.Rules.Tests.Cli;

/// <summary><c>bmw-rules sessions</c> on a history database: table with monthly totals, CSV, JSON, filters, and no database yet.</summary>
public sealed class SessionsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-sessions-").FullName;

    public SessionsCommandTests() => File.WriteAllText(Path.Combine(_dir, "config.yaml"), """
        ocpp:
          stations:
            - { id: "DE*BMW*E1", password: "0123456789abcdef", name: garage }
            - { id: "DE*BMW*E2", password: "0123456789abcdef", name: carport }
        time_zone: Europe/Berlin
        data_dir: state
        """);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset May3 = new(2026, 5, 3, 7, 30, 0, TimeSpan.Zero); // 09:30 in Berlin

    private void Record(params ChargingSession[] sessions)
    {
        using var store = new SessionStore(Path.Combine(_dir, "state", "history.db"));
        store.Open();
        foreach (var s in sessions) store.Insert(s);
    }

    private static ChargingSession Session(DateTimeOffset start, double kWh, double solarKWh, double cost, string station = "garage") => new()
    {
        Id = 0,
        StationId = station == "garage" ? "DE*BMW*E1" : "DE*BMW*E2",
        StationName = station,
        StartedAt = start,
        EndedAt = start.AddHours(3),
        EndReason = "EVDisconnected",
        TransactionId = "tx-" + start.Day,
        IdToken = "card, \"blue\"",
        MeterStartWh = 1000,
        MeterStopWh = 1000 + kWh * 1000,
        EnergyKWh = kWh,
        SolarKWh = solarKWh,
        MaxPowerW = 11000,
        ChargingTime = TimeSpan.FromHours(2),
        PausedTime = TimeSpan.FromMinutes(45),
        Cost = cost,
        Currency = "EUR",
        LimitSources = [new LimitSourceTime("solar-follow", TimeSpan.FromHours(2)), new LimitSourceTime("alice:pause", TimeSpan.FromMinutes(45))],
    };

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var (line, problem) = CommandLine.Parse(["sessions", "--config", Path.Combine(_dir, "config.yaml"), .. args]);
        Assert.Null(problem);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await SessionsCommand.RunAsync(line!, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Without_a_database_it_says_so_and_succeeds()
    {
        var (exit, output, error) = await RunAsync();

        Assert.Equal(0, exit);
        Assert.Equal("", output);
        Assert.Contains("No charging history yet", error);
        Assert.Contains(Path.Combine("state", "history.db"), error);
    }

    [Fact]
    public async Task The_table_lists_each_session_and_ends_with_monthly_totals()
    {
        Record(Session(May3, 10, 4, 1.8), Session(May3.AddDays(10), 20, 6, 4.2, "carport"), Session(May3.AddDays(30), 8, 8, 0));

        var (exit, output, _) = await RunAsync();

        Assert.Equal(0, exit);
        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("Start", lines[0]);
        Assert.Matches(@"^2026-05-03 09:30\s+3h00\s+garage\s+10\.00\s+40 %\s+1\.80 EUR\s+11\.0\s+2h00\s+45m\s+solar-follow\s+EVDisconnected$", lines[1]);
        Assert.Contains("carport", lines[2]);
        Assert.Equal("2026-05: 2 sessions, 30.00 kWh, solar 10.00 kWh (33 %), cost 6.00 EUR", lines[^2]);
        Assert.Equal("2026-06: 1 session, 8.00 kWh, solar 8.00 kWh (100 %), cost 0.00 EUR", lines[^1]);
    }

    [Fact]
    public async Task Csv_has_one_quoted_line_per_session_in_local_time()
    {
        Record(Session(May3, 10, 4, 1.8));

        var (_, output, _) = await RunAsync("--csv");

        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(string.Join(',', SessionCsv.Columns), lines[0]);
        Assert.Equal("1,garage,2026-05-03T09:30:00+02:00,2026-05-03T12:30:00+02:00,EVDisconnected,tx-3,\"card, \"\"blue\"\"\",10,4,6,0.4,1.8,EUR,11000,5000,120,45,1000,11000,solar-follow=120;alice:pause=45", lines[1]);
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public async Task Json_carries_sessions_and_months()
    {
        Record(Session(May3, 10, 4, 1.8));

        var (_, output, _) = await RunAsync("--json");

        using var json = JsonDocument.Parse(output);
        var session = json.RootElement.GetProperty("sessions")[0];
        Assert.Equal(10, session.GetProperty("energy_kwh").GetDouble());
        Assert.Equal(0.4, session.GetProperty("solar_share").GetDouble());
        Assert.Equal("solar-follow", session.GetProperty("limit_sources")[0].GetProperty("source").GetString());
        Assert.Equal("2026-05", json.RootElement.GetProperty("months")[0].GetProperty("month").GetString());
    }

    [Fact]
    public async Task From_to_and_station_filter_by_local_day_and_station()
    {
        Record(Session(May3, 10, 4, 1.8), Session(May3.AddDays(10), 20, 6, 4.2, "carport"), Session(May3.AddDays(30), 8, 8, 0));

        var may = (await RunAsync("--csv", "--from", "2026-05-01", "--to", "2026-05-31")).Out.TrimEnd().Split('\n');
        var carport = (await RunAsync("--csv", "--station", "carport")).Out.TrimEnd().Split('\n');
        var sameDay = (await RunAsync("--csv", "--from", "2026-05-03", "--to", "2026-05-03")).Out.TrimEnd().Split('\n');

        Assert.Equal(3, may.Length);
        Assert.Equal(2, carport.Length);
        Assert.Contains(",carport,", carport[1]);
        Assert.Equal(2, sameDay.Length);
    }

    [Fact]
    public async Task A_file_that_is_not_a_history_is_a_clear_error_not_a_stack_trace()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "state"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "state", "history.db"), new string('x', 200));

        var (exit, output, error) = await RunAsync();

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("bmw-rules sessions: cannot read the charging history ", error);
        Assert.Contains("file is not a database", error);
        Assert.DoesNotContain(" at ", error);
    }

    [Fact]
    public async Task A_date_that_is_not_a_date_is_refused()
    {
        var (exit, _, error) = await RunAsync("--from", "May");

        Assert.Equal(64, exit);
        Assert.Contains("'May' is not a date; use yyyy-MM-dd", error);
    }
}
