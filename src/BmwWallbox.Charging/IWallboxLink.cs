namespace BmwWallbox.Charging;

/// <summary>
/// The commands the charge controller sends to one station: the port between the controller and
/// the OCPP layer. An implementation is bound to one station, sends one call at a time, never
/// abandons a call (it answers <see cref="LinkOutcome.TimedOut"/> when the station is too slow, quirk 1)
/// and reports failures as a <see cref="LinkResult"/>, not as exceptions.
/// </summary>
public interface IWallboxLink
{
    /// <summary>SetChargingProfile on <paramref name="evseId"/>.</summary>
    Task<LinkResult> SetChargingProfileAsync(int evseId, ChargeProfile profile, CancellationToken ct);

    /// <summary>ClearChargingProfile by profile id. <see cref="LinkOutcome.Unknown"/> = nothing matched (quirk 6).</summary>
    Task<LinkResult> ClearChargingProfileAsync(int profileId, CancellationToken ct);

    Task<LinkResult> RequestStartTransactionAsync(int evseId, string idToken, int remoteStartId, CancellationToken ct);

    Task<LinkResult> RequestStopTransactionAsync(string transactionId, CancellationToken ct);

    /// <summary>Reset with type Immediate.</summary>
    Task<LinkResult> ResetImmediateAsync(CancellationToken ct);

    Task<LinkResult> TriggerMessageAsync(TriggerKind message, int evseId, CancellationToken ct);

    /// <summary>SetVariables with a single entry (attribute type Actual).</summary>
    Task<LinkResult> SetVariableAsync(string component, string variable, string value, CancellationToken ct);

    /// <summary>GetVariables with a single entry (attribute type Actual): the value when Accepted.</summary>
    Task<VariableResult> GetVariableAsync(string component, string variable, CancellationToken ct);
}

/// <summary>A GetVariables answer: the value (when <see cref="Result"/> is Accepted) or why not.</summary>
public sealed record VariableResult(LinkResult Result, string? Value = null);

public enum ProfilePurpose { TxDefaultProfile, TxProfile }

public enum TriggerKind { TransactionEvent, MeterValues }

/// <summary>
/// A constant current limit. The adapter sends it as: chargingProfile { id = <see cref="Id"/>,
/// stackLevel 0, chargingProfilePurpose = <see cref="Purpose"/>, chargingProfileKind Relative,
/// transactionId (TxProfile only), chargingSchedule [{ id = <see cref="Id"/>, chargingRateUnit "A",
/// chargingSchedulePeriod [{ startPeriod 0, limit = <see cref="LimitAmps"/> }] }] } — numberPhases only when
/// <see cref="NumberPhases"/> is set, which happens only for a box that reports phase switching (never the BMW, quirk 3).
/// </summary>
public sealed record ChargeProfile(int Id, ProfilePurpose Purpose, double LimitAmps, string? TransactionId = null, int? NumberPhases = null)
{
    /// <summary>Always 0: the BMW box is only reliable at stack level 0 (quirk 3).</summary>
    public int StackLevel => 0;
}

/// <summary>How a station answered a command (a small closed set; the adapter maps OCPP statuses onto it).</summary>
public enum LinkOutcome
{
    Accepted,
    /// <summary>The station answered with a status other than Accepted (Rejected, NotSupported, RebootRequired, ...).</summary>
    Rejected,
    /// <summary>ClearChargingProfile: nothing matched. Not an error.</summary>
    Unknown,
    NotConnected,
    TimedOut,
    /// <summary>A CALLERROR or a local failure.</summary>
    Error,
}

/// <summary>A station's answer, with a reason text for anything but Accepted (status, reasonCode, error description).</summary>
public sealed record LinkResult(LinkOutcome Outcome, string? Reason = null)
{
    public static LinkResult Accepted { get; } = new(LinkOutcome.Accepted);
    public static LinkResult Unknown { get; } = new(LinkOutcome.Unknown);
    public static LinkResult NotConnected { get; } = new(LinkOutcome.NotConnected, "Wallbox not connected");
    public static LinkResult TimedOut { get; } = new(LinkOutcome.TimedOut, "Command timed out");
    public static LinkResult Rejected(string reason) => new(LinkOutcome.Rejected, reason);
    public static LinkResult Error(string reason) => new(LinkOutcome.Error, reason);

    public bool IsAccepted => Outcome == LinkOutcome.Accepted;

    public override string ToString() => Reason is null ? Outcome.ToString() : $"{Outcome} ({Reason})";
}
