using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BmwWallbox.Core;

namespace BmwWallbox.Dashboard.Tests;

/// <summary>
/// The dashboard's HTTP API against the real daemon on an ephemeral loopback port, with the simulated box:
/// every action goes through the charge controller and answers with its result; bad input gets a clear
/// JSON error and changes nothing.
/// </summary>
public class DashboardApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text); // never a stack trace
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task The_state_shows_the_station_its_limit_and_the_claims_behind_it()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        using var http = rig.Http();

        var state = await ReadJsonAsync(await http.GetAsync("/api/state"));

        var station = state.GetProperty("stations")[0];
        Assert.Equal(DaemonHarness.StationName, station.GetProperty("name").GetString());
        Assert.True(station.GetProperty("connected").GetBoolean());
        Assert.Equal("Charging", station.GetProperty("chargingState").GetString());
        Assert.Equal(16, station.GetProperty("limit").GetProperty("effective").GetDouble());
        Assert.Equal("default", station.GetProperty("limit").GetProperty("source").GetString());
        Assert.Equal(["house_power", "solar_power"], state.GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));
        Assert.True(state.GetProperty("historyEnabled").GetBoolean()); // the daemon records into data_dir/history.db
    }

    [Fact]
    public async Task Set_current_claims_as_a_person_the_box_gets_it_and_the_claims_table_says_why()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        using var http = rig.Http();

        var response = await http.PostAsync("/api/stations/garage/current", Json("""{"amps": 10}"""));

        var result = await ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        await rig.Box.WaitForAppliedLimitAsync(10).WaitAsync(TestTimeouts.Slow);
        var station = (await ReadJsonAsync(await http.GetAsync("/api/state"))).GetProperty("stations")[0];
        Assert.Equal("dashboard", station.GetProperty("limit").GetProperty("source").GetString());
        var claim = Assert.Single(station.GetProperty("limit").GetProperty("claims").EnumerateArray());
        Assert.Equal(("dashboard", 10.0, "Manual", true),
            (claim.GetProperty("source").GetString(), claim.GetProperty("amps").GetDouble(), claim.GetProperty("kind").GetString(), claim.GetProperty("setsLimit").GetBoolean()));
    }

    [Fact]
    public async Task Pause_gives_the_box_0_A_and_resume_brings_the_current_back()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        using var http = rig.Http();

        var paused = await ReadJsonAsync(await http.PostAsync("/api/stations/garage/pause", Json("{}")));
        await rig.Box.WaitForAppliedLimitAsync(0).WaitAsync(TestTimeouts.Slow);
        Assert.True(paused.GetProperty("ok").GetBoolean(), paused.ToString());
        Assert.Equal("dashboard:pause", rig.Controller.Control.LimitSource);
        await rig.SettledAsync();

        var resumed = await ReadJsonAsync(await http.PostAsync("/api/stations/garage/resume", Json("{}")));
        await rig.Box.WaitForAppliedLimitAsync(16).WaitAsync(TestTimeouts.Slow);
        Assert.True(resumed.GetProperty("ok").GetBoolean(), resumed.ToString());
        Assert.Empty(rig.Controller.Control.Claims);
        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStopTransaction"));
    }

    [Fact]
    public async Task Charge_now_after_a_pause_claims_the_maximum_until_unplug_and_drops_the_pause()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        using var http = rig.Http();
        await http.PostAsync("/api/stations/garage/pause", Json("{}"));
        await rig.Box.WaitForAppliedLimitAsync(0).WaitAsync(TestTimeouts.Slow);
        await rig.SettledAsync();

        var now = await ReadJsonAsync(await http.PostAsync("/api/stations/garage/charge-now", Json("{}")));

        Assert.True(now.GetProperty("ok").GetBoolean(), now.ToString());
        await rig.Box.WaitForAppliedLimitAsync(16).WaitAsync(TestTimeouts.Slow);
        var claim = Assert.Single(rig.Controller.Control.Claims);
        Assert.Equal(("dashboard", 16.0, ClaimKind.Manual, true), (claim.Source, claim.Amps, claim.Kind, claim.EndsOnUnplug));
        await rig.SettledAsync();
    }

    [Fact]
    public async Task The_mode_is_shown_and_set_through_the_charge_modes_and_a_wrong_word_changes_nothing()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        using var http = rig.Http();
        async Task<string?> ModeAsync() => (await ReadJsonAsync(await http.GetAsync("/api/state"))).GetProperty("stations")[0].GetProperty("mode").GetString();
        async Task<string?> InactiveAsync() => (await ReadJsonAsync(await http.GetAsync("/api/state"))).GetProperty("stations")[0]
            .TryGetProperty("modeInactive", out var why) ? why.GetString() : null;
        Assert.Equal("solar", await ModeAsync()); // the default of the charging: section
        // The rig configures no surplus signal: the page says why the car charges anyway.
        Assert.Equal("mode solar needs the surplus signal 'surplus', which is not configured", await InactiveAsync());

        var wrong = await http.PostAsync("/api/stations/garage/mode", Json("""{"mode": "turbo"}"""));
        Assert.Equal(400, (int)wrong.StatusCode);
        Assert.StartsWith("Send the mode as", (await ReadJsonAsync(wrong)).GetProperty("error").GetString());
        Assert.Equal("solar", await ModeAsync());

        var off = await ReadJsonAsync(await http.PostAsync("/api/stations/garage/mode", Json("""{"mode": "off"}""")));
        Assert.True(off.GetProperty("ok").GetBoolean(), off.ToString());
        await rig.Box.WaitForAppliedLimitAsync(0).WaitAsync(TestTimeouts.Slow);
        Assert.Equal("off", await ModeAsync());
        Assert.Null(await InactiveAsync());
        Assert.Equal("mode off", rig.Controller.Control.LimitSource);
        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStopTransaction"));
    }

    [Fact]
    public async Task The_plan_target_is_set_and_cleared_in_the_words_of_set_plan_and_a_bad_one_changes_nothing()
    {
        await using var rig = await DashboardRig.StartAsync();
        using var http = rig.Http();
        async Task<string?> PlanAsync() => (await ReadJsonAsync(await http.GetAsync("/api/state"))).GetProperty("stations")[0].GetProperty("plan").GetString();

        var set = await ReadJsonAsync(await http.PostAsync("/api/stations/garage/plan", Json("""{"plan": "30kWh@07:00"}""")));
        Assert.True(set.GetProperty("ok").GetBoolean(), set.ToString());
        Assert.Equal("30 kWh by 07:00", await PlanAsync());

        var bad = await http.PostAsync("/api/stations/garage/plan", Json("""{"plan": "lots by dawn"}"""));
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((await ReadJsonAsync(bad)).GetProperty("error").GetString()));
        Assert.Equal("30 kWh by 07:00", await PlanAsync());

        var cleared = await ReadJsonAsync(await http.PostAsync("/api/stations/garage/plan", Json("""{"plan": ""}""")));
        Assert.True(cleared.GetProperty("ok").GetBoolean(), cleared.ToString());
        Assert.Null(await PlanAsync());
    }

    [Theory]
    [InlineData("current", """{"amps": 40}""", 400, "Current must be 0 (pause) or between 6 and 16 A, got 40")]
    [InlineData("current", """{"amps": 3}""", 400, "Current must be 0 (pause) or between 6 and 16 A, got 3")]
    [InlineData("current", """{"amps": "ten"}""", 400, "Send the current as {\"amps\": 10}: a number of amperes")]
    [InlineData("current", """{"amps": 10""", 400, "Malformed JSON: '0' is an invalid end of a number. Expected a delimiter (line 1, column 12)")]
    [InlineData("current", """[1,2]""", 400, "Send the current as")]
    [InlineData("release", """{"source": "nobody"}""", 404, "No claim 'nobody' on garage")]
    [InlineData("explode", "{}", 404, "Unknown action 'explode'")]
    public async Task Bad_input_gets_a_clear_error_and_changes_nothing(string verb, string body, int status, string error)
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        // The controller reacts to the plug-in through its own queue: the baseline is the box at 16 A.
        await rig.Box.WaitForAppliedLimitAsync(16).WaitAsync(TestTimeouts.Slow);
        using var http = rig.Http();
        var before = rig.Controller.Control;

        var response = await http.PostAsync($"/api/stations/garage/{verb}", Json(body));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.StartsWith(error, (await ReadJsonAsync(response)).GetProperty("error").GetString());
        Assert.Equal((before.EffectiveLimit, before.Claims.Count), (rig.Controller.Control.EffectiveLimit, rig.Controller.Control.Claims.Count));
        Assert.Equal(16, rig.Box.AppliedLimitAmps);
    }

    [Fact]
    public async Task Unknown_station_a_form_post_and_an_unknown_api_are_refused_in_words()
    {
        await using var rig = await DashboardRig.StartAsync();
        using var http = rig.Http();

        var unknown = await http.PostAsync("/api/stations/shed/pause", Json("{}"));
        var form = await http.PostAsync("/api/stations/garage/pause", new FormUrlEncodedContent([new("amps", "0")]));
        var nothing = await http.GetAsync("/api/nothing");
        var tooBig = await http.PostAsync("/api/stations/garage/current", Json($$"""{"amps": 10, "pad": "{{new string('x', 20_000)}}"}"""));

        Assert.Equal((HttpStatusCode.NotFound, "Unknown station 'shed'"), (unknown.StatusCode, (await ReadJsonAsync(unknown)).GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "Send JSON (Content-Type: application/json)"), (form.StatusCode, (await ReadJsonAsync(form)).GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Contains("Request too large", (await ReadJsonAsync(tooBig)).GetProperty("error").GetString());
        Assert.Empty(rig.Controller.Control.Claims);
    }

    [Fact]
    public async Task Without_a_password_a_renamed_host_is_refused()
    {
        await using var rig = await DashboardRig.StartAsync();
        using var http = rig.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        request.Headers.Host = "evil.example";

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Open the dashboard by IP address or localhost", (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_event_stream_sends_a_snapshot_at_once_and_another_after_a_change()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        using var http = rig.Http();
        using var response = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        async Task<JsonElement> NextAsync()
        {
            string? line;
            while ((line = await reader.ReadLineAsync().WaitAsync(TestTimeouts.Slow)) is not null)
                if (line.StartsWith("data: ", StringComparison.Ordinal)) return JsonDocument.Parse(line[6..]).RootElement;
            throw new EndOfStreamException();
        }

        var first = await NextAsync();
        Assert.Equal("Available", first.GetProperty("stations")[0].GetProperty("status").GetString());
        rig.Box.PlugIn(new SimulatedBox.SimulatedCar());
        JsonElement next;
        do next = await NextAsync();
        while (next.GetProperty("stations")[0].GetProperty("chargingState").GetString() != "Charging");
        await rig.SettledAsync();
    }

    [Fact]
    public async Task Without_history_the_sessions_api_says_history_is_off()
    {
        await using var rig = await DashboardRig.StartAsync(historyOff: true);
        using var http = rig.Http();

        var sessions = await ReadJsonAsync(await http.GetAsync("/api/sessions"));

        Assert.False(sessions.GetProperty("enabled").GetBoolean());
        Assert.Contains("history is off", sessions.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Sessions_come_newest_first_with_totals_per_month_and_a_bad_date_is_refused()
    {
        var history = new FakeHistory(
            FakeHistory.Session(1, new DateTimeOffset(2026, 10, 3, 9, 0, 0, TimeSpan.Zero), 20, 0.5, 6.0),
            FakeHistory.Session(2, new DateTimeOffset(2026, 11, 4, 9, 0, 0, TimeSpan.Zero), 10, 1.0, 1.0),
            FakeHistory.Session(3, new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), 30, 0.0, null));
        await using var rig = await DashboardRig.StartAsync(history: history);
        using var http = rig.Http();

        var all = await ReadJsonAsync(await http.GetAsync("/api/sessions"));
        var november = await ReadJsonAsync(await http.GetAsync("/api/sessions?from=2026-11-01&to=2026-12-01"));
        var bad = await http.GetAsync("/api/sessions?from=yesterday");

        Assert.Equal([3L, 2L, 1L], all.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
        var months = all.GetProperty("months");
        Assert.Equal(("2026-11", 2, 40.0), (months[0].GetProperty("month").GetString(), months[0].GetProperty("sessions").GetInt32(), months[0].GetProperty("energyKWh").GetDouble()));
        Assert.Equal(0.25, months[0].GetProperty("solarShare").GetDouble(), 6); // 10 of 40 kWh
        Assert.Equal(1.0, months[0].GetProperty("cost").GetDouble(), 6);
        Assert.Equal(("2026-10", 10.0), (months[1].GetProperty("month").GetString(), months[1].GetProperty("solarKWh").GetDouble()));
        Assert.Equal(2, november.GetProperty("sessions").GetArrayLength());
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(1)), history.LastQuery!.From); // local midnight, Berlin
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("'from' must be a date such as 2026-05-01, got 'yesterday'", (await ReadJsonAsync(bad)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_page_and_its_assets_are_served_from_the_assembly()
    {
        await using var rig = await DashboardRig.StartAsync();
        using var http = rig.Http();

        Assert.Contains("<title>bmw-rules</title>", await http.GetStringAsync("/"));
        Assert.Contains("Charging history", await http.GetStringAsync("/history"));
        Assert.Contains("uPlot", await http.GetStringAsync("/assets/vendor/uPlot.iife.min.js"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/../BmwWallbox.Dashboard.dll")).StatusCode);
    }

    [Fact]
    public async Task The_chart_has_a_point_per_minute_with_solar_and_the_limit()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        using var http = rig.Http();

        rig.Time.Advance(TimeSpan.FromMinutes(3));
        var chart = await ReadJsonAsync(await http.GetAsync("/api/chart?station=garage"));

        var points = chart.GetProperty("points").EnumerateArray().ToList();
        Assert.True(points.Count >= 4, chart.ToString());
        Assert.All(points, p => Assert.Equal(16, p.GetProperty("limitA").GetDouble()));
        Assert.Equal(("solar_power", "house_power"), (chart.GetProperty("solarSignal").GetString(), chart.GetProperty("houseSignal").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/chart?station=shed")).StatusCode);
    }
}
