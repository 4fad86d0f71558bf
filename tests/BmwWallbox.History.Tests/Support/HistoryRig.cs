using BmwWallbox.Core;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.History.Tests.Support;

/// <summary>A recorder on a temp database with a fake station, controller and real signals, all on one virtual clock.</summary>
internal sealed class HistoryRig : IAsyncDisposable
{
    public const string Surplus = "surplus";
    public const string Price = "price";

    private readonly string _folder = Directory.CreateTempSubdirectory("history-").FullName;

    public HistoryRig(HistoryOptions? options = null, string? folder = null)
    {
        if (folder is not null) _folder = folder;
        Options = options ?? new HistoryOptions { SurplusSignal = Surplus, PriceSignal = Price };
        Signals = new SignalStore([new SignalDefinition(Surplus), new SignalDefinition(Price, TimeSpan.FromHours(2))], Clock);
        Station = new StationFeed(Clock);
        Recorder = NewRecorder();
    }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
    public TestLogs Logs { get; } = new();
    public HistoryOptions Options { get; }
    public SignalStore Signals { get; }
    public StationFeed Station { get; }
    public FakeController Controller { get; } = new();
    public SessionRecorder Recorder { get; private set; }
    public string Folder => _folder;
    public string DatabasePath => Path.Combine(_folder, "history.db");

    public SessionRecorder NewRecorder() =>
        new(Options, DatabasePath, Station, Controller, Signals, Clock, Logs.For<SessionRecorder>());

    /// <summary>A new recorder on the same database, as after a restart; the old one is dropped as a crash would (unsaved).</summary>
    public SessionRecorder Restart()
    {
        Recorder = NewRecorder();
        Recorder.Start();
        return Recorder;
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public async Task<IReadOnlyList<ChargingSession>> SessionsAsync()
    {
        await Recorder.IdleAsync();
        return await Recorder.QueryAsync(new SessionQuery());
    }

    public async ValueTask DisposeAsync()
    {
        await Recorder.DisposeAsync();
        Signals.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
