using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Answers CSMS→station calls: quirk 1 (strictly one after another, each after the reply delay; an
/// overlapping call desynchronises a strict box), then parse fully, change state, answer; what the
/// call sets off runs once the answer is on the wire.
/// </summary>
internal sealed class CallDispatcher(SimulatedBoxOptions options, StationGate gate, CsmsLink link, BootSequence boot,
    Availability availability, EventLog events, ILogger log, AfterReply afterReply,
    SmartChargingCalls smartCharging, TransactionCalls transactions, DeviceModelCalls deviceModel, StationCalls station)
{
    private static readonly HashSet<string> KnownButUnsupported =
    [
        "CancelReservation", "CertificateSigned", "ClearCache", "ClearDisplayMessage", "ClearVariableMonitoring",
        "CostUpdated", "CustomerInformation", "DeleteCertificate", "GetDisplayMessages", "GetInstalledCertificateIds",
        "GetLocalListVersion", "GetLog", "GetMonitoringReport", "GetReport", "InstallCertificate", "PublishFirmware",
        "ReserveNow", "SendLocalList", "SetDisplayMessage", "SetMonitoringBase", "SetMonitoringLevel",
        "SetNetworkProfile", "SetVariableMonitoring", "UnpublishFirmware", "UpdateFirmware",
    ];

    private readonly BoxQuirks _quirks = options.Quirks;
    /// <summary>Quirk 1: when the box is through with the calls it has already taken.</summary>
    private DateTimeOffset _busyUntil;
    private int _callsInFlight;

    /// <summary>In-process: the CALLRESULT payload, or an <see cref="OcppCallErrorException"/> for a CALLERROR.</summary>
    public async Task<JsonNode> HandleInProcessAsync(string action, JsonNode? payload, CancellationToken cancellationToken) =>
        WireCopy(await AnswerInProcessAsync(action, payload, cancellationToken).ConfigureAwait(false));

    /// <summary>In-process, for a caller that sends the answer on as text: the CALLRESULT payload as JSON.</summary>
    public async Task<string> HandleInProcessAsJsonAsync(string action, JsonNode? payload, CancellationToken cancellationToken) =>
        (await AnswerInProcessAsync(action, payload, cancellationToken).ConfigureAwait(false)).ToJsonString();

    /// <summary>The answer as the box built it, once what the call sets off has run; a CALLERROR is thrown.</summary>
    private async Task<JsonNode> AnswerInProcessAsync(string action, JsonNode? payload, CancellationToken cancellationToken)
    {
        gate.Locked(() =>
        {
            gate.ThrowIfDisposed();
            if (!link.IsOpen) throw new InvalidOperationException($"Station {options.StationId} is not connected (dropped or rebooting).");
        });
        var outcome = await HandleAsync(action, payload, cancellationToken).ConfigureAwait(false);
        outcome.AfterReply?.Invoke();
        if (outcome.Error is { } error) throw new OcppCallErrorException(error.ErrorCode, error.Description, error.Details);
        return outcome.Result!;
    }

    /// <summary>For transports: the answer, plus what to run once the answer is on the wire.</summary>
    public async Task<CallOutcome> HandleAsync(string action, JsonNode? payload, CancellationToken cancellationToken)
    {
        var overlapping = Interlocked.Increment(ref _callsInFlight) > 1;
        try
        {
            var delay = gate.Mutate(now =>
            {
                if (overlapping && _quirks.StrictMessageIds)
                    link.Desynchronise(now, $"{action} arrived while the reply to the previous call was still pending");
                if (!_quirks.OneCallAtATime) return _quirks.ReplyDelay;
                // One at a time: this call is answered only after the previous one, however long that takes.
                var start = _busyUntil > now ? _busyUntil : now;
                _busyUntil = start + _quirks.ReplyDelay;
                return _busyUntil - now;
            });
            if (delay > TimeSpan.Zero) await Task.Delay(delay, gate.Time, cancellationToken).ConfigureAwait(false);
            return gate.Mutate(now => Dispatch(now, action, payload));
        }
        finally
        {
            Interlocked.Decrement(ref _callsInFlight);
        }
    }

    private CallOutcome Dispatch(DateTimeOffset now, string action, JsonNode? payload)
    {
        afterReply.Clear();
        OcppCallErrorException? error = null;
        JsonObject? result = null;
        try
        {
            if (!link.IsOpen || availability.Rebooting) throw new OcppCallErrorException("GenericError", "station is rebooting or offline");
            if (link.IsDesynchronised) throw new OcppCallErrorException("GenericError", "session desynchronised (unknown message id); reconnect or reboot");
            if (boot.IsRejected) throw new OcppCallErrorException("SecurityError", "BootNotification was rejected");
            var request = Object(payload, action);
            result = action switch
            {
                "SetChargingProfile" => smartCharging.SetChargingProfile(now, request),
                "ClearChargingProfile" => smartCharging.ClearChargingProfile(now, request),
                "GetChargingProfiles" => smartCharging.GetChargingProfiles(request),
                "GetCompositeSchedule" => smartCharging.GetCompositeSchedule(now, request),
                "RequestStartTransaction" => transactions.RequestStartTransaction(now, request),
                "RequestStopTransaction" => transactions.RequestStopTransaction(now, request),
                "GetTransactionStatus" => transactions.GetTransactionStatus(request),
                "Reset" => station.Reset(request),
                "SetVariables" => deviceModel.SetVariables(request),
                "GetVariables" => deviceModel.GetVariables(request),
                "GetBaseReport" => deviceModel.GetBaseReport(request),
                "TriggerMessage" => station.TriggerMessage(request),
                "ChangeAvailability" => station.ChangeAvailability(now, request),
                "UnlockConnector" => station.UnlockConnector(request),
                "DataTransfer" => StationCalls.DataTransfer(request),
                _ when KnownButUnsupported.Contains(action) => throw new OcppCallErrorException("NotSupported", $"{action} is not supported by this station"),
                _ => throw new OcppCallErrorException("NotImplemented", $"unknown action '{action}'"),
            };
        }
        catch (OcppCallErrorException e)
        {
            error = e;
            afterReply.Clear();
            log.LogWarning("Station {StationId}: {Action} answered with {Code}: {Description}", options.StationId, action, e.ErrorCode, e.Description);
        }
        events.Add(now, SimulatorEventKind.CallReceived, action, payload, result, error?.ErrorCode, error?.Description);

        // Messages queued while handling go out only after the reply (TriggerMessage semantics).
        var kick = link.TakeKick();
        var after = afterReply.Take();
        Action? onReplySent = after.Length == 0 && !kick ? null : () =>
        {
            foreach (var step in after) gate.Mutate(step);
            if (kick) gate.Mutate(_ => link.Kick());
        };
        return new CallOutcome(result, error, onReplySent);
    }
}

/// <summary>The box's answer to a CSMS call plus what it does once the answer is on the wire.</summary>
internal sealed record CallOutcome(JsonNode? Result, OcppCallErrorException? Error, Action? AfterReply);
