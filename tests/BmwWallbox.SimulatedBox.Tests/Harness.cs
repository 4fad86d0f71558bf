using System.Globalization;
using System.Text.Json.Nodes;
using BmwWallbox.Core;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.SimulatedBox.Tests;

/// <summary>A box driven in-process in virtual time, attached to a <see cref="FakeCsms"/> and booted.</summary>
internal sealed class Harness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private Harness(SimulatedBoxOptions options)
    {
        Logs = new TestLogs(clock: Time);
        Box = new SimulatedWallbox(options, Time, Logs.For<SimulatedWallbox>());
    }

    public ManualClock Time { get; } = new(Start);
    public FakeCsms Csms { get; } = new();
    /// <summary>The box's logs; an error it logs fails the test unless declared (<see cref="TestLogs.AllowErrors"/>).</summary>
    public TestLogs Logs { get; }
    public SimulatedWallbox Box { get; }

    public static async Task<Harness> StartAsync(BoxQuirks? quirks = null, Func<SimulatedBoxOptions, SimulatedBoxOptions>? configure = null)
    {
        var options = new SimulatedBoxOptions { Quirks = quirks ?? BoxQuirks.None, SendHeartbeats = false };
        var harness = new Harness(configure is null ? options : configure(options));
        harness.Box.AttachInProcess(harness.Csms);
        await harness.Box.FlushAsync();
        Assert.True(harness.Box.IsBootAccepted);
        return harness;
    }

    public static SimulatedCar Car(double maxAmps = 32, int phases = 3, double batteryKWh = 80, double soc = 20) =>
        new() { MaxCurrentAmps = maxAmps, Phases = phases, BatteryKWh = batteryKWh, StartSocPercent = soc };

    public async Task PlugInAsync(SimulatedCar? car = null)
    {
        Box.PlugIn(car ?? Car());
        await Box.FlushAsync();
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Box.FlushAsync();
    }

    /// <summary>Sends a CSMS call in-process and flushes what the box queued in reaction.</summary>
    public async Task<JsonObject> CallAsync(string action, JsonObject payload)
    {
        var result = (JsonObject)await Box.HandleCallAsync(action, payload);
        await Box.FlushAsync();
        return result;
    }

    public async Task<string> SetProfileAsync(JsonObject request) =>
        (await CallAsync("SetChargingProfile", request))["status"]!.GetValue<string>();

    public static JsonObject Profile(int id, string purpose, double limit, string? transactionId = null, int stackLevel = 0,
        string unit = "A", int evseId = 1, string kind = "Relative", JsonArray? periods = null, string? startSchedule = null)
    {
        var profile = new JsonObject
        {
            ["id"] = id,
            ["stackLevel"] = stackLevel,
            ["chargingProfilePurpose"] = purpose,
            ["chargingProfileKind"] = kind,
        };
        if (transactionId is not null) profile["transactionId"] = transactionId;
        var schedule = new JsonObject
        {
            ["id"] = 1,
            ["chargingRateUnit"] = unit,
            ["chargingSchedulePeriod"] = periods ?? new JsonArray(new JsonObject { ["startPeriod"] = 0, ["limit"] = limit }),
        };
        if (startSchedule is not null) schedule["startSchedule"] = startSchedule;
        profile["chargingSchedule"] = new JsonArray(schedule);
        return new JsonObject { ["evseId"] = evseId, ["chargingProfile"] = profile };
    }

    public static JsonObject TxDefault(int id, double limit) => Profile(id, "TxDefaultProfile", limit);

    public JsonObject TxProfile(int id, double limit, string? transactionId = null) =>
        Profile(id, "TxProfile", limit, transactionId ?? Box.TransactionId);

    /// <summary>Value of a sampled value in a meterValue array (phase null = the non-phased one).</summary>
    public static double? Sampled(JsonObject message, string measurand, string? phase = null)
    {
        foreach (var mv in message["meterValue"]!.AsArray())
        foreach (var sv in mv!["sampledValue"]!.AsArray())
        {
            if ((string?)sv!["measurand"] != measurand) continue;
            if ((string?)sv["phase"] != phase) continue;
            return sv["value"]!.GetValue<double>();
        }
        return null;
    }

    public static string Status(JsonObject result) => result["status"]!.GetValue<string>();

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await Box.DisposeAsync();
        Logs.AssertNoUnexpectedErrors();
    }
}
