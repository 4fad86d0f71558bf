using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// The commands the controller's parts send to the box, each logged with its answer. Only work
/// running on the controller's worker calls it, so the box sees one command at a time (quirk 1).
/// The link never throws by contract; if it does, that is an Error answer, not a failed step.
/// </summary>
internal sealed class WallboxCommands(string stationId, IWallboxLink link, WallboxOptions options, ILogger log)
{
    public Task<LinkResult> SetChargingProfileAsync(ChargeProfile profile, CancellationToken stop)
        => CallAsync($"SetChargingProfile({profile.Purpose} {SafetyEnvelope.Format(profile.LimitAmps)} A{(profile.NumberPhases is { } n ? $", {n} phase(s)" : "")})",
            c => link.SetChargingProfileAsync(options.EvseId, profile, c), stop);

    public Task<LinkResult> ClearChargingProfileAsync(int profileId, CancellationToken stop)
        => CallAsync("ClearChargingProfile", c => link.ClearChargingProfileAsync(profileId, c), stop);

    public Task<LinkResult> RequestStartTransactionAsync(int remoteStartId, CancellationToken stop)
        => CallAsync("RequestStartTransaction",
            c => link.RequestStartTransactionAsync(options.EvseId, options.IdToken, remoteStartId, c), stop);

    public Task<LinkResult> RequestStopTransactionAsync(string transactionId, CancellationToken stop)
        => CallAsync("RequestStopTransaction", c => link.RequestStopTransactionAsync(transactionId, c), stop);

    public Task<LinkResult> ResetImmediateAsync(CancellationToken stop)
        => CallAsync("Reset(Immediate)", link.ResetImmediateAsync, stop);

    public Task<LinkResult> TriggerMessageAsync(TriggerKind message, CancellationToken stop)
        => CallAsync($"TriggerMessage({message})", c => link.TriggerMessageAsync(message, options.EvseId, c), stop);

    public Task<LinkResult> SetVariableAsync(string component, string variable, string value, CancellationToken stop)
        => CallAsync("SetVariables", c => link.SetVariableAsync(component, variable, value, c), stop);

    public async Task<VariableResult> GetVariableAsync(string component, string variable, CancellationToken stop)
    {
        VariableResult? answer = null;
        await CallAsync($"GetVariables({component}.{variable})", async c =>
        {
            answer = await link.GetVariableAsync(component, variable, c);
            return answer.Result;
        }, stop);
        return answer ?? new VariableResult(LinkResult.Error("GetVariables failed"));
    }

    private async Task<LinkResult> CallAsync(string command, Func<CancellationToken, Task<LinkResult>> send, CancellationToken stop)
    {
        LinkResult answer;
        try
        {
            answer = await send(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "{StationId}: {Command} failed", stationId, command);
            answer = LinkResult.Error(ex.Message);
        }
        log.LogDebug("{StationId}: {Command}: {Answer}", stationId, command, answer);
        return answer;
    }
}
