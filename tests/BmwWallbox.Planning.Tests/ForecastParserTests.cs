using BmwWallbox.Planning;

namespace BmwWallbox.Planning.Tests;

/// <summary>Each supported forecast shape, as the integrations publish it, and payloads that must be refused.</summary>
public class ForecastParserTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static IReadOnlyList<ForecastSlot> Price(string json)
    {
        var result = ForecastParser.Parse(json, ForecastKind.Price, Berlin);
        Assert.True(result.Ok, result.Error);
        return result.Slots!;
    }

    private static string Error(string json, ForecastKind kind = ForecastKind.Price)
    {
        var result = ForecastParser.Parse(json, kind, Berlin);
        Assert.False(result.Ok);
        return result.Error!;
    }

    private static readonly DateTimeOffset T13 = new(2026, 4, 15, 13, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public void Plain_list_with_start_end_price()
    {
        var slots = Price("""[{"start":"2026-04-15T13:00:00+02:00","end":"2026-04-15T14:00:00+02:00","price":0.21}, {"start":"2026-04-15T14:00:00+02:00","end":"2026-04-15T15:00:00+02:00","price":0.19}]""");
        Assert.Equal([new ForecastSlot(T13, T13.AddHours(1), 0.21), new ForecastSlot(T13.AddHours(1), T13.AddHours(2), 0.19)], slots);
    }

    [Fact]
    public void Nordpool_raw_today_and_raw_tomorrow_in_a_home_assistant_state()
    {
        var slots = Price("""
            {"entity_id":"sensor.nordpool","state":"0.2","attributes":{"unit":"kWh","currency":"EUR",
              "raw_today":[{"start":"2026-04-15T23:00:00+02:00","end":"2026-04-16T00:00:00+02:00","value":0.15}],
              "raw_tomorrow":[{"start":"2026-04-16T00:00:00+02:00","end":"2026-04-16T01:00:00+02:00","value":0.12},
                              {"start":"2026-04-16T01:00:00+02:00","end":"2026-04-16T02:00:00+02:00","value":null}]}}
            """); Assert.Equal([0.15, 0.12], slots.Select(s => s.Value)); Assert.Equal(new DateTimeOffset(2026, 4, 16, 1, 0, 0, TimeSpan.FromHours(2)), slots[^1].End); } [Fact] public void Tibber_price_info_today_tomorrow_with_total_and_starts_at_and_no_end() { var slots = Price("""
            {"data":{"viewer":{"homes":[{"currentSubscription":{"priceInfo":{
              "today":[{"total":0.2512,"energy":0.1,"tax":0.15,"startsAt":"2026-04-15T13:00:00.000+02:00"},
                       {"total":0.2011,"energy":0.05,"tax":0.15,"startsAt":"2026-04-15T14:00:00.000+02:00"}],
              "tomorrow":[]}}}]}}}
            """); Assert.Equal([new ForecastSlot(T13, T13.AddHours(1), 0.2512), new ForecastSlot(T13.AddHours(1), T13.AddHours(2), 0.2011)], slots); } [Fact] public void Awattar_epoch_milliseconds_and_marketprice_in_eur_per_mwh() { var start = T13.ToUnixTimeMilliseconds(); var slots = Price($$"""{"object":"list","data":[{"start_timestamp":{{start}},"end_timestamp":{{start + 3_600_000}},"marketprice":95.5,"unit":"Eur/MWh"}],"url":"/at/v1/marketdata"}""");
        var slot = Assert.Single(slots);
        Assert.Equal(T13, slot.Start);
        Assert.Equal(0.0955, slot.Value, 6);
    }

    [Fact]
    public void Octopus_agile_results_prefer_value_inc_vat()
    {
        var slots = Price("""{"count":2,"results":[ {"value_exc_vat":20.0,"value_inc_vat":21.0,"valid_from":"2026-04-15T12:30:00Z","valid_to":"2026-04-15T13:00:00Z"}, {"value_exc_vat":18.0,"value_inc_vat":18.9,"valid_from":"2026-04-15T12:00:00Z","valid_to":"2026-04-15T12:30:00Z"}]}""");
        Assert.Equal([18.9, 21.0], slots.Select(s => s.Value)); // sorted by start
        Assert.Equal(TimeSpan.FromMinutes(30), slots[0].Length);
    }

    [Fact]
    public void Epex_spot_start_time_end_time_and_price_in_eur_per_mwh()
    {
        var slot = Assert.Single(Price("""{"data":[{"start_time":"2026-04-15T13:00:00+02:00","end_time":"2026-04-15T14:00:00+02:00","price_eur_per_mwh":110.0}]}"""));
        Assert.Equal(0.11, slot.Value, 6);
    }

    [Fact]
    public void Duration_instead_of_end_in_minutes_iso_or_compact()
    {
        var slots = Price("""[{"from":"2026-04-15T13:00:00+02:00","duration":15,"value":0.3}, {"from":"2026-04-15T13:15:00+02:00","duration":"PT15M","value":0.31}, {"from":"2026-04-15T13:30:00+02:00","duration":"30m","value":0.32}]""");
        Assert.Equal([T13.AddMinutes(15), T13.AddMinutes(30), T13.AddHours(1)], slots.Select(s => s.End));
    }

    [Fact]
    public void Timestamps_without_offset_are_local_in_the_configured_zone_and_till_is_an_end()
    {
        var slot = Assert.Single(Price("""[{"from":"2026-04-15 13:00:00","till":"2026-04-15 14:00:00","price":0.2}]"""));
        Assert.Equal(T13, slot.Start);
        Assert.Equal(T13.AddHours(1), slot.End);
    }

    [Fact]
    public void Forecast_solar_watts_map()
    {
        var result = ForecastParser.Parse("""{"result":{"watts":{"2026-06-21 06:00:00":0,"2026-06-21 07:00:00":1200,"2026-06-21 08:00:00":3400}, "watt_hours_day":{"2026-06-21":30000}},"message":{"code":0}}""", ForecastKind.Solar, Berlin);
        Assert.True(result.Ok, result.Error);
        Assert.Equal([0.0, 1200, 3400], result.Slots!.Select(s => s.Value));
        Assert.All(result.Slots!, s => Assert.Equal(TimeSpan.FromHours(1), s.Length));
    }

    [Fact]
    public void Solcast_forecasts_with_period_end_and_pv_estimate_in_kw()
    {
        var result = ForecastParser.Parse("""{"forecasts":[{"pv_estimate":2.5,"pv_estimate10":1,"period_end":"2026-06-21T10:30:00Z","period":"PT30M"}]}""",
            ForecastKind.Solar, Berlin);
        Assert.True(result.Ok, result.Error);
        var slot = Assert.Single(result.Slots!);
        Assert.Equal(new DateTimeOffset(2026, 6, 21, 10, 0, 0, TimeSpan.Zero), slot.Start);
        Assert.Equal(2500, slot.Value);
    }

    [Fact]
    public void Solar_energy_per_slot_becomes_average_power()
    {
        var result = ForecastParser.Parse("""[{"start":"2026-06-21T10:00:00+02:00","end":"2026-06-21T10:30:00+02:00","kwh":1.5}]""", ForecastKind.Solar, Berlin);
        Assert.Equal(3000, Assert.Single(result.Slots!).Value, 6);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"state":"0.21"}""", "No forecast slots found")]
    [InlineData("[]", "No forecast slots found")]
    [InlineData("""[{"start":"2026-04-15T13:00:00+02:00","end":"2026-04-15T14:00:00+02:00"}]""", "slot 1 has no price")]
    [InlineData("""[{"start":"yesterday","price":0.2}]""", "slot 1: 'start' must be a timestamp")]
    [InlineData("""[{"start":"2026-04-15T13:00:00+02:00","price":"cheap"}]""", "slot 1: 'price' must be a number")]
    [InlineData("""[{"start":"2026-04-15T13:00:00+02:00","end":"2026-04-15T12:00:00+02:00","price":0.2}]""", "ends")]
    [InlineData("""[{"start":"2026-04-15T13:00:00+02:00","end":"2026-04-15T14:00:00+02:00","price":0.2},{"start":"2026-04-15T13:30:00+02:00","end":"2026-04-15T14:30:00+02:00","price":0.2}]""", "overlap")]
    [InlineData("""[{"start":"2026-04-15T13:00:00+02:00","duration":"forever","price":0.2}]""", "duration must be")]
    [InlineData("""{"raw_today":[],"raw_tomorrow":[]}""", "no slots with a value")]
    public void Malformed_price_payloads_get_a_specific_error(string json, string expected)
        => Assert.Contains(expected, Error(json));

    [Fact]
    public void Negative_solar_is_refused()
        => Assert.Contains("must not be negative", Error("""[{"start":"2026-06-21T10:00:00+02:00","watts":-5}]""", ForecastKind.Solar));

    [Fact]
    public void Negative_prices_are_fine()
        => Assert.Equal(-0.02, Assert.Single(Price("""[{"start":"2026-04-15T13:00:00+02:00","price":-0.02}]""")).Value);

    [Fact]
    public void A_huge_payload_is_refused_before_parsing()
        => Assert.Contains("too long", Error(new string(' ', ForecastParser.MaxPayloadLength + 1)));
}
