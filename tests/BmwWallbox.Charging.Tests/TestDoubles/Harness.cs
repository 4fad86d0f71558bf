using BmwWallbox.Core;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Charging.Tests.TestDoubles;

/// <summary>
/// A controller on a scripted link in virtual time, plus a scripted station state that emits
/// the events the OCPP server would. Every step waits until the controller's worker is idle.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public const string StationId = "DE*BMW*E1";
    public const string Name = "garage";

    private WallboxState _state = new() { StationId = StationId, Name = Name };

    public Harness(WallboxOptions? options = null, string? dataDirectory = null, ManualClock? time = null)
    {
        Options = options ?? new WallboxOptions();
        Time = time ?? new ManualClock(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));
        Controller = new ChargeController(StationId, Name, Link, Options, Time, Log.For<ChargeController>(), dataDirectory);
    }

    public WallboxOptions Options { get; }
    public ManualClock Time { get; }
    public FakeWallboxLink Link { get; } = new();
    /// <summary>The controller's logs; an error it logs fails the test unless declared (<see cref="TestLogs.AllowErrors"/>).</summary>
    public TestLogs Log { get; } = new();
    public ChargeController Controller { get; }
    public ControlState Control => Controller.Control;
    public WallboxState State => _state;

    public async Task Emit(WallboxEventKind kind, Func<WallboxState, WallboxState> change)
    {
        var previous = _state;
        _state = change(previous);
        Controller.OnWallboxEvent(new WallboxEvent(kind, Time.GetUtcNow(), _state, previous));
        await Idle();
    }

    /// <summary>The box connects and speaks (the server announces its first message even when it changes nothing): the link-up runs.</summary>
    public async Task Connect()
    {
        await ConnectSilently();
        await FirstMessage();
    }

    /// <summary>The box connects and says nothing yet: the link-up waits for its first message, or <see cref="ChargeController.FirstMessageWait"/>.</summary>
    public Task ConnectSilently() => Emit(WallboxEventKind.Connected, s => s with
    {
        Connected = true,
        ConnectedAt = Time.GetUtcNow(),
        Status = s.Status ?? ConnectorStatus.Available,
    });

    /// <summary>The box's first message after connecting, one that changed nothing else (an unchanged StatusNotification).</summary>
    public Task FirstMessage() => Emit(WallboxEventKind.Heartbeat, s => s with { LastMessageAt = Time.GetUtcNow() });

    public Task Disconnect() => Emit(WallboxEventKind.Disconnected, s => s with { Connected = false, DisconnectedAt = Time.GetUtcNow() });

    public Task Boot() => Emit(WallboxEventKind.Booted, s => s with
    {
        Boot = new BootInfo("Delta", "EIAW-E22KTSE6B04", "SN1", "01.20.06.71", "PowerUp", Time.GetUtcNow()),
    });

    public Task StartTransaction(string id = "tx-1", ChargingState chargingState = ChargingState.Charging)
        => Emit(WallboxEventKind.TransactionStarted, s => s with
        {
            Status = ConnectorStatus.Occupied,
            Transaction = new TransactionInfo(id, Time.GetUtcNow(), chargingState, "bmw-rules", 0),
        });

    public Task ChangeChargingState(ChargingState chargingState)
        => Emit(WallboxEventKind.ChargingStateChanged, s => s with
        {
            Transaction = s.Transaction! with { ChargingState = chargingState, LastSeqNo = s.Transaction.LastSeqNo + 1 },
        });

    /// <summary>The TransactionEvent a TriggerMessage asks for: the box reports its live transaction (optionally under a new id, quirk 9).</summary>
    public Task ReportTransaction(string? id = null)
        => Emit(id is null || id == _state.Transaction?.Id ? WallboxEventKind.MeterValues : WallboxEventKind.TransactionStarted, s => s with
        {
            Transaction = s.Transaction! with { Id = id ?? s.Transaction.Id, LastSeqNo = s.Transaction.LastSeqNo + 1 },
        });

    public Task EndTransaction() => Emit(WallboxEventKind.TransactionEnded, s => s with
    {
        Transaction = s.Transaction! with { EndedAt = Time.GetUtcNow(), StoppedReason = "EVDisconnected" },
    });

    public Task Unplug() => Emit(WallboxEventKind.StatusChanged, s => s with { Status = ConnectorStatus.Available });

    /// <summary>Connected, a transaction charging, the limit applied, and the call log emptied.</summary>
    public async Task Charging(string transactionId = "tx-1")
    {
        await Connect();
        await StartTransaction(transactionId);
        Link.Clear();
    }

    public async Task Advance(TimeSpan by)
    {
        Time.Advance(by);
        await Idle();
    }

    public Task Idle() => Controller.WhenIdleAsync().WaitAsync(TestTimeouts.Guard);

    public async Task<ActionResult> Run(Task<ActionResult> action)
    {
        var result = await action.WaitAsync(TestTimeouts.Guard);
        await Idle();
        return result;
    }

    public Task<ActionResult> Claim(string source, double amps, ClaimKind kind = ClaimKind.Rule, DateTimeOffset? expiresAt = null, bool endsOnUnplug = false)
        => Run(Controller.ClaimAsync(new ClaimRequest(source, amps, kind, expiresAt, endsOnUnplug)));

    public Task<ActionResult> Release(string source) => Run(Controller.ReleaseAsync(source));

    public IReadOnlyList<LinkCall> CallsOf(string command) => Link.Calls.Where(c => c.Command == command).ToArray();

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        Log.AssertNoUnexpectedErrors();
    }
}
