
namespace BmwWallbox.Charging.Tests.TestDoubles;

/// <summary>One command the controller sent, with the arguments that matter to the tests.</summary>
public sealed record LinkCall(
    string Command,
    int? EvseId = null,
    ChargeProfile? Profile = null,
    int? ProfileId = null,
    string? TransactionId = null,
    TriggerKind? Trigger = null,
    string? IdToken = null,
    int? RemoteStartId = null,
    string? Variable = null,
    string? Value = null)
{
    public override string ToString() => Profile is { } p
        ? $"{Command}({p.Purpose} id {p.Id} {p.LimitAmps} A{(p.TransactionId is null ? "" : " tx " + p.TransactionId)}{(p.NumberPhases is { } n ? $" {n}ph" : "")})"
        : $"{Command}({Trigger?.ToString() ?? Variable ?? TransactionId ?? ProfileId?.ToString() ?? ""})";
}

/// <summary>
/// A scripted, in-memory <see cref="IWallboxLink"/>: records every call and answers with
/// <see cref="Respond"/>. It is the port boundary; real sockets come with the OCPP adapter.
/// </summary>
public sealed class FakeWallboxLink : IWallboxLink
{
    private readonly Lock _lock = new();
    private readonly List<LinkCall> _calls = [];
    private int _inFlight;

    /// <summary>Answers every call; the default accepts everything and answers Unknown to ClearChargingProfile, as the box does.</summary>
    public Func<LinkCall, LinkResult> Respond { get; set; } = DefaultAnswer;

    /// <summary>When set, every call waits for this before answering (to hold a call in flight).</summary>
    public Task? Gate { get; set; }

    public int MaxInFlight { get; private set; }

    /// <summary>Calls that got their answer (a call abandoned through its token never does).</summary>
    public int Answered { get; private set; }

    /// <summary>Raised as each call arrives, before it is answered.</summary>
    public event Action<LinkCall>? Called;

    public IReadOnlyList<LinkCall> Calls
    {
        get { lock (_lock) return _calls.ToArray(); }
    }

    public IReadOnlyList<ChargeProfile> Profiles => Calls.Where(c => c.Profile is not null).Select(c => c.Profile!).ToArray();

    public void Clear()
    {
        lock (_lock)
        {
            _calls.Clear();
            Answered = 0;
        }
    }

    public static LinkResult DefaultAnswer(LinkCall call)
        => call.Command == "ClearChargingProfile" ? LinkResult.Unknown : LinkResult.Accepted;

    /// <summary>Reject the profiles of one purpose, answer the rest as before.</summary>
    public void RejectProfiles(ProfilePurpose purpose, string reason = "Rejected")
    {
        var previous = Respond;
        Respond = call => call.Profile?.Purpose == purpose ? LinkResult.Rejected(reason) : previous(call);
    }

    public Task<LinkResult> SetChargingProfileAsync(int evseId, ChargeProfile profile, CancellationToken ct)
        => Answer(new LinkCall("SetChargingProfile", EvseId: evseId, Profile: profile), ct);

    public Task<LinkResult> ClearChargingProfileAsync(int profileId, CancellationToken ct)
        => Answer(new LinkCall("ClearChargingProfile", ProfileId: profileId), ct);

    public Task<LinkResult> RequestStartTransactionAsync(int evseId, string idToken, int remoteStartId, CancellationToken ct)
        => Answer(new LinkCall("RequestStartTransaction", EvseId: evseId, IdToken: idToken, RemoteStartId: remoteStartId), ct);

    public Task<LinkResult> RequestStopTransactionAsync(string transactionId, CancellationToken ct)
        => Answer(new LinkCall("RequestStopTransaction", TransactionId: transactionId), ct);

    public Task<LinkResult> ResetImmediateAsync(CancellationToken ct) => Answer(new LinkCall("Reset"), ct);

    public Task<LinkResult> TriggerMessageAsync(TriggerKind message, int evseId, CancellationToken ct)
        => Answer(new LinkCall("TriggerMessage", EvseId: evseId, Trigger: message), ct);

    public Task<LinkResult> SetVariableAsync(string component, string variable, string value, CancellationToken ct)
        => Answer(new LinkCall("SetVariable", Variable: $"{component}.{variable}", Value: value), ct);

    /// <summary>Device-model values GetVariables answers with ("Component.Variable" → value); others are UnknownVariable.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public async Task<VariableResult> GetVariableAsync(string component, string variable, CancellationToken ct)
    {
        var key = $"{component}.{variable}";
        var answer = await Answer(new LinkCall("GetVariable", Variable: key), ct);
        if (!answer.IsAccepted) return new VariableResult(answer);
        return Variables.TryGetValue(key, out var value) ? new VariableResult(answer, value) : new VariableResult(LinkResult.Rejected("UnknownVariable"));
    }

    private async Task<LinkResult> Answer(LinkCall call, CancellationToken ct)
    {
        lock (_lock)
        {
            _calls.Add(call);
            MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
        }
        Called?.Invoke(call);
        try
        {
            if (Gate is { } gate) await gate.WaitAsync(ct);
            var answer = Respond(call);
            lock (_lock) Answered++;
            return answer;
        }
        finally
        {
            lock (_lock) _inFlight--;
        }
    }
}
