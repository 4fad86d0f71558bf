using BmwWallbox.Ocpp;
using BmwWallbox.Ocpp.Messages;

namespace BmwWallbox.Charging;

/// <summary>
/// <see cref="IWallboxLink"/> over the OCPP server's typed commands, for one station. Maps the
/// OCPP statuses onto the controller's small set of outcomes; the server already sends one call at
/// a time and times calls out without abandoning them (quirk 1).
/// </summary>
public sealed class OcppWallboxLink(IOcppCommands commands, string stationId) : IWallboxLink
{
    public async Task<LinkResult> SetChargingProfileAsync(int evseId, ChargeProfile profile, CancellationToken ct)
    {
        var ocppProfile = new ChargingProfile(
            profile.Id,
            profile.StackLevel,
            profile.Purpose == ProfilePurpose.TxProfile ? ChargingProfilePurpose.TxProfile : ChargingProfilePurpose.TxDefaultProfile,
            ChargingProfileKind.Relative,
            [new ChargingSchedule(profile.Id, ChargingRateUnit.A, [new ChargingSchedulePeriod(0, Math.Round(profile.LimitAmps, 1), profile.NumberPhases)])],
            TransactionId: profile.Purpose == ProfilePurpose.TxProfile ? profile.TransactionId : null);
        var result = await commands.SetChargingProfileAsync(stationId, new SetChargingProfileRequest(evseId, ocppProfile), ct);
        return Map(result, r => r.Status == ChargingProfileStatus.Accepted, r => Reason(r.Status, r.StatusInfo));
    }

    public async Task<LinkResult> ClearChargingProfileAsync(int profileId, CancellationToken ct)
    {
        var result = await commands.ClearChargingProfileAsync(stationId, new ClearChargingProfileRequest(profileId), ct);
        if (result is { Ok: true, Response.Status: ClearChargingProfileStatus.Unknown }) return LinkResult.Unknown;
        return Map(result, r => r.Status == ClearChargingProfileStatus.Accepted, r => Reason(r.Status, r.StatusInfo));
    }

    public async Task<LinkResult> RequestStartTransactionAsync(int evseId, string idToken, int remoteStartId, CancellationToken ct)
    {
        var request = new RequestStartTransactionRequest(new IdToken(idToken, IdTokenKind.Central), remoteStartId, evseId);
        var result = await commands.RequestStartTransactionAsync(stationId, request, ct);
        return Map(result, r => r.Status == RequestStartStopStatus.Accepted, r => Reason(r.Status, r.StatusInfo));
    }

    public async Task<LinkResult> RequestStopTransactionAsync(string transactionId, CancellationToken ct)
    {
        var result = await commands.RequestStopTransactionAsync(stationId, new RequestStopTransactionRequest(transactionId), ct);
        return Map(result, r => r.Status == RequestStartStopStatus.Accepted, r => Reason(r.Status, r.StatusInfo));
    }

    public async Task<LinkResult> ResetImmediateAsync(CancellationToken ct)
    {
        var result = await commands.ResetAsync(stationId, new ResetRequest(ResetType.Immediate), ct);
        return Map(result, r => r.Status == ResetStatus.Accepted, r => Reason(r.Status, r.StatusInfo));
    }

    public async Task<LinkResult> TriggerMessageAsync(TriggerKind message, int evseId, CancellationToken ct)
    {
        var trigger = message == TriggerKind.MeterValues ? MessageTrigger.MeterValues : MessageTrigger.TransactionEvent;
        var result = await commands.TriggerMessageAsync(stationId, new TriggerMessageRequest(trigger, new Evse(evseId)), ct);
        return Map(result, r => r.Status == TriggerMessageStatus.Accepted, r => Reason(r.Status, r.StatusInfo));
    }

    public async Task<LinkResult> SetVariableAsync(string component, string variable, string value, CancellationToken ct)
    {
        var request = new SetVariablesRequest([new SetVariableData(value, new Component(component), new Variable(variable))]);
        var result = await commands.SetVariablesAsync(stationId, request, ct);
        return Map(result,
            r => r.SetVariableResult.Count > 0 && r.SetVariableResult[0].AttributeStatus == SetVariableStatus.Accepted,
            r => r.SetVariableResult.Count == 0 ? "empty answer" : Reason(r.SetVariableResult[0].AttributeStatus, r.SetVariableResult[0].AttributeStatusInfo));
    }

    public async Task<VariableResult> GetVariableAsync(string component, string variable, CancellationToken ct)
    {
        var request = new GetVariablesRequest([new GetVariableData(new Component(component), new Variable(variable))]);
        var result = await commands.GetVariablesAsync(stationId, request, ct);
        var link = Map(result,
            r => r.GetVariableResult.Count > 0 && r.GetVariableResult[0].AttributeStatus == GetVariableStatus.Accepted,
            r => r.GetVariableResult.Count == 0 ? "empty answer" : Reason(r.GetVariableResult[0].AttributeStatus, r.GetVariableResult[0].AttributeStatusInfo));
        return new VariableResult(link, link.IsAccepted ? result.Response!.GetVariableResult[0].AttributeValue : null);
    }

    private static LinkResult Map<T>(CommandResult<T> result, Func<T, bool> accepted, Func<T, string> reason) where T : class =>
        result.Status switch
        {
            CommandStatus.Ok when accepted(result.Response!) => LinkResult.Accepted,
            CommandStatus.Ok => LinkResult.Rejected(reason(result.Response!)),
            CommandStatus.NotConnected => LinkResult.NotConnected,
            CommandStatus.TimedOut => LinkResult.TimedOut,
            _ => LinkResult.Error(result.Error ?? result.Action + " failed"),
        };

    private static string Reason<TStatus>(TStatus status, StatusInfo? info) =>
        info is null ? $"{status}" : $"{status}: {info.ReasonCode}{(info.AdditionalInfo is null ? "" : " " + info.AdditionalInfo)}";
}
