using System.Text.Json.Nodes;
using BmwWallbox.Composition;
using BmwWallbox.Core;
using BmwWallbox.Ocpp;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Logging;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>
/// The real thing end to end: the OCPP server with TLS (self-signed, 127.0.0.1, port 0), the charge
/// controller on it as the daemon wires it (<see cref="ChargingCore"/>: <see cref="OcppWallboxLink"/> and
/// the <see cref="ChargeControllers"/> registry), and the simulated BMW box dialling in over wss.
/// Everything runs on one <see cref="ManualClock"/> (watched by <see cref="Timers"/>); the steps below await what the box reports, never
/// wall-clock time.
/// </summary>
public sealed class LiveRig : IAsyncDisposable
{
    /// <summary>Where virtual time starts.</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    public const string StationId = "DE*BMW*E1";
    public const string Name = "garage";
    public const string Password = "0123456789abcdef";
    public static readonly TimeSpan Guard = TestTimeouts.Guard;
    /// <summary>The box's first reconnect back-off (distinct from every other timer in play).</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan RebootDuration = TimeSpan.FromSeconds(60);

    private LiveRig(TestLogs logs, ServerCertificate certificate, OcppServer server, ChargingCore core,
        SimulatedWallbox box, SimulatedBoxClient client, ManualClock clock)
    {
        Logs = logs;
        Certificate = certificate;
        Server = server;
        Core = core;
        Controller = core.ControllerOf(StationId);
        Box = box;
        Client = client;
        Clock = clock;
        Timers = new TimerWatch(clock);
    }

    public ManualClock Clock { get; }

    /// <summary>When the box, the server or the controller waits on <see cref="Clock"/>.</summary>
    public TimerWatch Timers { get; }
    public TestLogs Logs { get; }
    public ServerCertificate Certificate { get; }
    public OcppServer Server { get; }
    public ChargingCore Core { get; }
    public ChargeController Controller { get; }
    public SimulatedWallbox Box { get; }
    public SimulatedBoxClient Client { get; }
    /// <summary>wss://127.0.0.1:&lt;port&gt;/ of the server.</summary>
    public Uri ServerUri => ServerUriOf(Server);

    private static Uri ServerUriOf(OcppServer server) => new($"wss://127.0.0.1:{server.Ports[0]}/");

    public ControlState Control => Controller.Control;
    public WallboxState State => Server.States.Get(StationId)!;

    /// <summary>A 3-phase 11 kW box (16 A hardware maximum), so max_current is 16 too.</summary>
    public static WallboxOptions DefaultWallbox { get; } = new()
    {
        MaxCurrent = 16,
        MinChangeInterval = TimeSpan.Zero,
        MaxPauseCyclesPerHour = 60,
        MeterPollInterval = TimeSpan.FromHours(1),
    };

    /// <summary>Starts everything; unless the box is strict about TLS, returns once it booted and the controller configured it.</summary>
    public static async Task<LiveRig> StartAsync(
        ITestOutputHelper output,
        BoxQuirks quirks,
        Func<WallboxOptions, WallboxOptions>? wallbox = null,
        Func<OcppOptions, OcppOptions>? ocpp = null,
        Func<SimulatedBoxOptions, SimulatedBoxOptions>? box = null,
        bool acceptAnyCertificate = true,
        bool waitForLinkUp = true)
    {
        var clock = new ManualClock(Start);
        var logs = new TestLogs(output, clock);
        var certificate = ServerCertificate.CreateSelfSigned(TimeProvider.System);
        var ocppOptions = new OcppOptions
        {
            Port = 0,
            Bind = "127.0.0.1",
            Stations = [new StationOptions { Id = StationId, Password = Password, Name = Name }],
            CommandTimeout = TimeSpan.FromSeconds(15),
        };
        var server = new OcppServer(ocpp?.Invoke(ocppOptions) ?? ocppOptions, certificate, logs, clock);
        var core = new ChargingCore(new ChargingCoreOptions { Wallbox = wallbox?.Invoke(DefaultWallbox) ?? DefaultWallbox }, server, clock, logs);
        await core.StartAsync(CancellationToken.None).WaitAsync(Guard);

        var boxOptions = new SimulatedBoxOptions
        {
            StationId = StationId,
            Quirks = quirks,
            ReconnectDelayMin = ReconnectDelay,
            ReconnectDelayMax = ReconnectDelay,
            RebootDuration = RebootDuration,
        };
        var wallboxSimulator = new SimulatedWallbox(box?.Invoke(boxOptions) ?? boxOptions, clock, logs.For<SimulatedWallbox>());
        var client = new SimulatedBoxClient(wallboxSimulator, new SimulatedBoxClientOptions
        {
            ServerUri = ServerUriOf(server),
            Password = Password,
            AcceptAnyServerCertificate = acceptAnyCertificate,
        }, logs.For<SimulatedBoxClient>());

        var rig = new LiveRig(logs, certificate, server, core, wallboxSimulator, client, clock);
        await client.StartAsync();
        if (acceptAnyCertificate && waitForLinkUp)
        {
            await wallboxSimulator.WaitForBootAcceptedAsync().WaitAsync(Guard);
            await rig.IdleAsync();
        }
        return rig;
    }

    /// <summary>A three-phase car that takes up to 16 A, 20 % full.</summary>
    public static SimulatedCar Car() => new() { BatteryKWh = 80, StartSocPercent = 20, MaxCurrentAmps = 16, Phases = 3 };

    /// <summary>Completes once the controller has worked off everything it was told so far.</summary>
    public Task IdleAsync() => Controller.WhenIdleAsync().WaitAsync(Guard);

    public Task<ActionResult> Claim(string source, double amps, ClaimKind kind = ClaimKind.Rule)
        => Controller.ClaimAsync(new ClaimRequest(source, amps, kind)).WaitAsync(Guard);

    public Task<ActionResult> Release(string source) => Controller.ReleaseAsync(source).WaitAsync(Guard);

    /// <summary>Plugs the car in; returns once the box reported <paramref name="reported"/> to the server and the controller reacted.</summary>
    public Task PlugInAsync(SimulatedCar? car = null, string reported = "Charging")
        => ActAsync(() => Box.PlugIn(car ?? Car()), reported);

    /// <summary>A claim (0 A = pause); returns once the box has reported the charging state that follows and the controller reacted.</summary>
    public async Task<ActionResult> ClaimAndWaitAsync(string source, double amps, string reported, ClaimKind kind = ClaimKind.Rule)
    {
        var since = Box.EventSequence;
        var result = await Claim(source, amps, kind);
        await DeliveredAsync("TransactionEvent", since, m => (string?)m["transactionInfo"]?["chargingState"] == reported);
        await IdleAsync();
        return result;
    }

    /// <summary>Releases a claim; returns once the box has reported the charging state that follows and the controller reacted.</summary>
    public async Task<ActionResult> ReleaseAndWaitAsync(string source, string reported)
    {
        var since = Box.EventSequence;
        var result = await Release(source);
        await DeliveredAsync("TransactionEvent", since, m => (string?)m["transactionInfo"]?["chargingState"] == reported);
        await IdleAsync();
        return result;
    }

    public Task SuspendByCarAsync() => ActAsync(Box.SuspendByCar, "SuspendedEV");

    public Task ResumeByCarAsync() => ActAsync(Box.ResumeByCar, "Charging");

    /// <summary>Unplugs; returns once the box reported the end of the transaction and the free connector.</summary>
    public async Task UnplugAsync()
    {
        var since = Box.EventSequence;
        Box.Unplug();
        await DeliveredAsync("TransactionEvent", since, m => (string?)m["eventType"] == "Ended");
        await DeliveredAsync("StatusNotification", since, m => (string?)m["connectorStatus"] == "Available");
        await IdleAsync();
    }

    /// <summary>
    /// A network drop mid-session: the box loses the socket, waits its back-off (virtual time),
    /// reconnects and replays. Returns once the controller has re-applied the limit after the reconnect.
    /// </summary>
    public async Task ReconnectAsync()
    {
        var since = Box.EventSequence;
        var connects = Client.ConnectCount;
        await Client.DropConnectionAsync();
        await Box.WaitForAsync(e => e.Kind == SimulatorEventKind.Disconnected, since).WaitAsync(Guard);
        await Timers.AdvanceWhenArmedAsync(ReconnectDelay);
        await Box.WaitForAsync(e => e.Kind == SimulatorEventKind.Connected, since).WaitAsync(Guard);
        Assert.Equal(connects + 1, Client.ConnectCount);
        // The controller asks the box for its live transaction (quirk 9), then re-sends the limit.
        if (Box.TransactionId is not null)
            await DeliveredAsync("TransactionEvent", since, m => (string?)m["triggerReason"] == "Trigger");
        await Box.WaitForAsync(e => e.Kind == SimulatorEventKind.CallReceived && e.Action == "SetChargingProfile"
            && (string?)e.Response?["status"] == "Accepted", since).WaitAsync(Guard);
        await IdleAsync();
    }

    /// <summary>
    /// After a Reset: the box reboots for <see cref="RebootDuration"/> of virtual time, boots again and,
    /// with the car still plugged in, starts a new transaction. Returns once the controller reacted to it.
    /// </summary>
    public async Task CompleteRebootAsync(long since)
    {
        await Box.WaitForAsync(e => e.Kind == SimulatorEventKind.Rebooting, since).WaitAsync(Guard);
        // The reboot and the client's reconnect back-off both wait on virtual time: let both arm, then advance.
        await Timers.DueInAsync(ReconnectDelay).WaitAsync(Guard);
        await Timers.DueInAsync(RebootDuration).WaitAsync(Guard);
        Clock.Advance(RebootDuration);
        await Box.WaitForAsync(e => e.Kind == SimulatorEventKind.BootAccepted, since).WaitAsync(Guard);
        if (Box.IsCarPlugged) await DeliveredAsync("TransactionEvent", since, m => (string?)m["eventType"] == "Started");
        await IdleAsync();
    }

    /// <summary>Completes when the box got the server's answer to a message of <paramref name="action"/> sent after <paramref name="since"/>.</summary>
    public Task<BoxEvent> DeliveredAsync(string action, long since, Func<JsonNode, bool>? match = null)
        => Box.WaitForAsync(e => e.Kind == SimulatorEventKind.MessageSent && e.Action == action && e.Detail is null
            && (match is null || match(e.Payload!)), since).WaitAsync(Guard);

    /// <summary>Every SetChargingProfile the box received: (purpose, limit, transactionId, status).</summary>
    public IReadOnlyList<(string Purpose, double Limit, string? TransactionId, string Status)> ProfilesReceived()
        => Box.ReceivedCalls.Where(e => e.Action == "SetChargingProfile").Select(e =>
        {
            var profile = e.Payload!["chargingProfile"]!;
            return ((string)profile["chargingProfilePurpose"]!,
                (double)profile["chargingSchedule"]![0]!["chargingSchedulePeriod"]![0]!["limit"]!,
                (string?)profile["transactionId"],
                (string?)e.Response?["status"] ?? e.ErrorCode!);
        }).ToArray();

    /// <summary>The box enforces exactly what the controller wants, and the car draws accordingly.</summary>
    public void AssertBoxAtEffectiveLimit(double expected)
    {
        var control = Control;
        Assert.Equal(expected, control.EffectiveLimit);
        Assert.Equal(expected, control.AppliedLimit);
        Assert.Equal(expected, Box.AppliedLimitAmps);
        if (Box.IsCarPlugged && Box.ChargingState is "Charging" or "SuspendedEVSE")
            Assert.Equal(expected >= 6 ? Math.Min(expected, Car().MaxCurrentAmps) : 0, Box.ChargingCurrentAmps);
    }

    private async Task ActAsync(Action act, string reported)
    {
        var since = Box.EventSequence;
        act();
        await DeliveredAsync("TransactionEvent", since, m => (string?)m["transactionInfo"]?["chargingState"] == reported);
        await IdleAsync();
    }

    /// <summary>The box first (it does not reconnect into a stopping server), then controller and server.</summary>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Box.DisposeAsync();
        await Core.DisposeAsync();
        Certificate.Dispose();
        Logs.AssertNoUnexpectedErrors();
    }
}
