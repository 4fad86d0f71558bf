using BmwWallbox.Charging.Strategies;
using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests.Modes;

/// <summary>
/// A station's charge mode on a controller over the scripted link, in virtual time: the surplus is a
/// signal the test sets, the station's state events go to both the controller and the modes.
/// </summary>
internal sealed class ModeRig : IAsyncDisposable
{
    public const string Surplus = "surplus";
    private WallboxState _state = new() { StationId = Harness.StationId, Name = Harness.Name };

    private ModeRig(Harness harness, SignalStore signals, FakeWallboxStates states, ChargeControllers controllers, ChargeModes modes)
    {
        H = harness;
        Signals = signals;
        States = states;
        Controllers = controllers;
        Modes = modes;
    }

    public Harness H { get; }
    public SignalStore Signals { get; }
    public FakeWallboxStates States { get; }
    public ChargeControllers Controllers { get; }
    public ChargeModes Modes { get; }
    public ManualClock Time => H.Time;
    public ControlState Control => H.Control;

    public static ModeRig Start(string mode = "solar", ModeOptions? options = null, WallboxOptions? wallbox = null,
        string? dataDirectory = null, bool withSurplus = true, IChargePlans? plans = null, ManualClock? time = null)
    {
        wallbox ??= new WallboxOptions { MaxCurrent = 16 };
        var harness = new Harness(wallbox, dataDirectory, time);
        var signals = new SignalStore(withSurplus ? [new SignalDefinition(Surplus, TimeSpan.FromMinutes(5))] : [], harness.Time);
        var states = new FakeWallboxStates();
        var controllers = new ChargeControllers([harness.Controller], states);
        // evcc's delays unless a test says otherwise: the tests time the mechanism (delays, holds), the defaults are measured by the benchmark.
        var modes = new ChargeModes((options ?? ModeOptions.Evcc) with { Mode = mode }, wallbox, controllers, signals, states, plans,
            harness.Time, harness.Log, dataDirectory);
        modes.Start();
        return new ModeRig(harness, signals, states, controllers, modes);
    }

    public async Task Emit(WallboxEventKind kind, Func<WallboxState, WallboxState> change)
    {
        var previous = _state;
        _state = change(previous);
        States.Raise(new WallboxEvent(kind, Time.GetUtcNow(), _state, previous));
        await Idle();
    }

    /// <summary>Box connected, car plugged in, a transaction charging.</summary>
    public async Task PlugIn()
    {
        await Emit(WallboxEventKind.Connected, s => s with { Connected = true, ConnectedAt = Time.GetUtcNow(), Status = s.Status ?? ConnectorStatus.Available });
        await Emit(WallboxEventKind.TransactionStarted, s => s with
        {
            Status = ConnectorStatus.Occupied,
            Transaction = new TransactionInfo("tx-" + Time.GetUtcNow().ToUnixTimeSeconds(), Time.GetUtcNow(), ChargingState.Charging, "bmw-rules", 0),
        });
    }

    public async Task Unplug()
    {
        await Emit(WallboxEventKind.TransactionEnded, s => s with { Transaction = s.Transaction! with { EndedAt = Time.GetUtcNow(), StoppedReason = "EVDisconnected" } });
        await Emit(WallboxEventKind.StatusChanged, s => s with { Status = ConnectorStatus.Available });
    }

    public async Task SetSurplus(double watts)
    {
        Signals.Set(Surplus, watts);
        await Idle();
    }

    public async Task Advance(TimeSpan by)
    {
        Time.Advance(by);
        await Idle();
    }

    /// <summary>Advance in steps, setting the same surplus each step (a meter reporting every <paramref name="step"/>).</summary>
    public async Task Hold(double watts, TimeSpan duration, TimeSpan step)
    {
        for (var t = TimeSpan.Zero; t < duration; t += step)
        {
            await Advance(step);
            await SetSurplus(watts);
        }
    }

    public async Task Idle()
    {
        // A mode's claim runs on the controller's worker; a controller change may poke the mode again.
        for (var i = 0; i < 3; i++)
        {
            await Modes.WhenIdleAsync().WaitAsync(TestTimeouts.Guard);
            await H.Idle();
        }
    }

    public async Task<ActionResult> SetMode(ChargeMode mode, string source = "test")
    {
        var result = await Modes.SetModeAsync(Harness.Name, mode, source).WaitAsync(TestTimeouts.Guard);
        await Idle();
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Modes.DisposeAsync();
        await H.DisposeAsync();
        Signals.Dispose();
    }
}
