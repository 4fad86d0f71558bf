using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>A claim request as admitted: the claim to hold and why its current was changed, or why it is refused.</summary>
internal sealed record ClaimAdmission(Claim? Claim, string? Note, string? Refusal);

/// <summary>
/// The claims of one station through their life: a request passes the safety envelope and becomes
/// a claim (a person's override without an end gets one); Manual claims are stored so they survive
/// a restart; claims end when they expire or when the car is unplugged. How the claims combine is
/// <see cref="ClaimBook"/>'s. Used from the controller's worker only.
/// </summary>
internal sealed class ClaimKeeper : IAsyncDisposable
{
    private readonly string _stationId;
    private readonly WallboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SafetyEnvelope _envelope;
    private readonly ManualClaimStore _store;
    private readonly ClaimBook _book = new();
    private readonly ITimer _expiryTimer;

    /// <param name="afterExpiry">Runs on the worker after claims expired (the limit is re-applied then).</param>
    public ClaimKeeper(string stationId, string stationName, WallboxOptions options, TimeProvider time, ILogger log,
        string? dataDirectory, TimerOnWorker timerOnWorker, Func<CancellationToken, Task> afterExpiry)
    {
        _stationId = stationId;
        _options = options;
        _time = time;
        _log = log;
        _envelope = new SafetyEnvelope(options);
        _store = new ManualClaimStore(dataDirectory, stationName, log);
        _expiryTimer = timerOnWorker(async stop =>
        {
            if (await ExpireAsync(stop)) await afterExpiry(stop);
        });
        LoadManualClaims();
    }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<Claim> All => _book.All;

    public Arbitration Arbitrate() => _book.Arbitrate(_options.MaxCurrent);

    /// <summary>Check a request against the envelope and make the claim to hold (not held yet).</summary>
    public ClaimAdmission Admit(ClaimRequest request)
    {
        var checkedAmps = _envelope.Check(request.Amps);
        if (!checkedAmps.Valid) return new(null, null, checkedAmps.Error);
        var now = _time.GetUtcNow();
        if (request.ExpiresAt <= now) return new(null, null, $"Claim expiry {request.ExpiresAt:O} is not in the future");
        if (request.Phases is not (null or 1 or 3)) return new(null, null, $"Invalid phases {request.Phases}: must be 1 or 3");

        var expiresAt = request.ExpiresAt;
        var endsOnUnplug = request.EndsOnUnplug;
        // A person's override without an end of its own gets one, so a forgotten override cannot hold for ever.
        if (request.Kind == ClaimKind.Manual && expiresAt is null)
        {
            if (_options.ManualClaimDuration > TimeSpan.Zero) expiresAt = now + _options.ManualClaimDuration;
            endsOnUnplug |= _options.ManualClaimEndsOnUnplug;
        }
        var claim = new Claim(request.Source, checkedAmps.Amps, request.Kind, now, expiresAt, endsOnUnplug, request.Reason, request.Phases);
        return new(claim, checkedAmps.Note, null);
    }

    /// <summary>Hold <paramref name="claim"/>, replacing the claim of its source.</summary>
    public async Task PutAsync(Claim claim, CancellationToken stop)
    {
        var replaced = _book.Get(claim.Source);
        _book.Put(claim);
        if (claim.Kind == ClaimKind.Manual || replaced?.Kind == ClaimKind.Manual) await SaveManualClaimsAsync(stop);
        ArmExpiry();
    }

    /// <summary>Drop the claim of <paramref name="source"/>; null when it held none.</summary>
    public async Task<Claim?> RemoveAsync(string source, CancellationToken stop)
    {
        if (_book.Remove(source) is not { } removed) return null;
        if (removed.Kind == ClaimKind.Manual) await SaveManualClaimsAsync(stop);
        ArmExpiry();
        return removed;
    }

    /// <summary>
    /// Drop the pauses <paramref name="source"/> holds (its own 0 A claim, and a person's separate
    /// pause claim). True when the source acts as a person: it holds or held a manual claim.
    /// </summary>
    public async Task<bool> DropPausesOfAsync(string source, CancellationToken stop)
    {
        var held = _book.Get(source);
        var dropped = new List<Claim>();
        if (held is { Amps: 0 }) dropped.Add(_book.Remove(source)!);
        if (_book.Remove(ChargeControllerVerbs.PauseSourceOf(source)) is { } personPause) dropped.Add(personPause);
        var manualDropped = dropped.Any(c => c.Kind == ClaimKind.Manual);
        if (manualDropped) await SaveManualClaimsAsync(stop);
        if (dropped.Count > 0) ArmExpiry();
        return held?.Kind == ClaimKind.Manual || manualDropped;
    }

    /// <summary>End the claims made "until unplugged". True when any ended.</summary>
    public async Task<bool> EndOnUnplugAsync(string why, CancellationToken stop)
    {
        var ended = _book.RemoveEndingOnUnplug();
        if (ended.Count == 0) return false;
        foreach (var claim in ended)
            _log.LogInformation("{StationId}: claim of {Source} ({Amps} A) ended: {Why}", _stationId, claim.Source, claim.Amps, why);
        if (ended.Any(c => c.Kind == ClaimKind.Manual)) await SaveManualClaimsAsync(stop);
        ArmExpiry();
        return true;
    }

    /// <summary>How a claim is held, in words: "manual, until …, ends on unplug".</summary>
    public static string Describe(Claim claim)
    {
        var parts = new List<string> { claim.Kind == ClaimKind.Manual ? "manual" : "rule" };
        if (claim.ExpiresAt is { } until) parts.Add($"until {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        if (claim.EndsOnUnplug) parts.Add("ends on unplug");
        return string.Join(", ", parts);
    }

    public ValueTask DisposeAsync() => _expiryTimer.DisposeAsync();

    private async Task<bool> ExpireAsync(CancellationToken stop)
    {
        var expired = _book.RemoveExpired(_time.GetUtcNow());
        ArmExpiry();
        if (expired.Count == 0) return false;
        foreach (var claim in expired)
            _log.LogInformation("{StationId}: claim of {Source} ({Amps} A) expired", _stationId, claim.Source, claim.Amps);
        if (expired.Any(c => c.Kind == ClaimKind.Manual)) await SaveManualClaimsAsync(stop);
        return true;
    }

    private void ArmExpiry()
    {
        var due = _book.NextExpiry is { } at ? at - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (due != Timeout.InfiniteTimeSpan && due < TimeSpan.Zero) due = TimeSpan.Zero;
        _expiryTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void LoadManualClaims()
    {
        foreach (var stored in _store.Load(_time.GetUtcNow()))
        {
            // The envelope may have changed since the claim was saved.
            var checkedAmps = _envelope.Check(stored.Amps);
            if (!checkedAmps.Valid)
            {
                _log.LogWarning("{StationId}: dropping stored claim of {Source}: {Reason}", _stationId, stored.Source, checkedAmps.Error);
                continue;
            }
            _book.Put(stored with { Amps = checkedAmps.Amps });
            _log.LogInformation("{StationId}: restored manual claim of {Source}: {Amps} A", _stationId, stored.Source, checkedAmps.Amps);
        }
        ArmExpiry();
    }

    private async Task SaveManualClaimsAsync(CancellationToken stop)
    {
        try
        {
            await _store.SaveAsync(_book.Manual, stop);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.LogError(ex, "{StationId}: could not save manual claims to {File}; they will not survive a restart", _stationId, _store.FilePath);
        }
    }
}
