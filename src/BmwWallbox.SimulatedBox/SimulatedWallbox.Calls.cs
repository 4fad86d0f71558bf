using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

// CSMS→station calls: parse fully first, then change state, then answer.
public sealed partial class SimulatedWallbox
{
    private static readonly HashSet<string> KnownButUnsupported =
    [
        "CancelReservation", "CertificateSigned", "ClearCache", "ClearDisplayMessage", "ClearVariableMonitoring",
        "CostUpdated", "CustomerInformation", "DeleteCertificate", "GetDisplayMessages", "GetInstalledCertificateIds",
        "GetLocalListVersion", "GetLog", "GetMonitoringReport", "GetReport", "InstallCertificate", "PublishFirmware",
        "ReserveNow", "SendLocalList", "SetDisplayMessage", "SetMonitoringBase", "SetMonitoringLevel",
        "SetNetworkProfile", "SetVariableMonitoring", "UnpublishFirmware", "UpdateFirmware",
    ];

    private DateTimeOffset _busyUntil;
    private int _callsInFlight;
    private readonly AfterReply _afterReply = new();
    private readonly SmartChargingCalls _smartChargingCalls;
    private readonly TransactionCalls _transactionCalls;
    private readonly DeviceModelCalls _deviceModelCalls;
    private readonly StationCalls _stationCalls;

    /// <summary>
    /// In-process: handles one CSMS→station CALL and returns the CALLRESULT payload, or throws
    /// <see cref="OcppCallErrorException"/> for a CALLERROR. Follow-up messages (TriggerMessage,
    /// GetBaseReport, a transaction started remotely) are queued for <see cref="FlushAsync"/>;
    /// a Reset starts the reboot before this returns.
    /// </summary>
    public async Task<JsonNode> HandleCallAsync(string action, JsonNode? payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        _gate.Locked(() =>
        {
            _gate.ThrowIfDisposed();
            if (!_link.IsOpen) throw new InvalidOperationException($"Station {_options.StationId} is not connected (dropped or rebooting).");
        });
        var outcome = await HandleIncomingAsync(action, payload, cancellationToken).ConfigureAwait(false);
        outcome.AfterReply?.Invoke();
        if (outcome.Error is { } error) throw new OcppCallErrorException(error.ErrorCode, error.Description, error.Details);
        return OcppJson.WireCopy(outcome.Result!);
    }

    /// <summary>For transports: the answer, plus what to run once the answer is on the wire.</summary>
    internal async Task<CallOutcome> HandleIncomingAsync(string action, JsonNode? payload, CancellationToken cancellationToken)
    {
        var overlapping = Interlocked.Increment(ref _callsInFlight) > 1;
        try
        {
            var delay = Mutate(now =>
            {
                if (overlapping && _quirks.StrictMessageIds)
                    _link.Desynchronise(now, $"{action} arrived while the reply to the previous call was still pending");
                if (!_quirks.OneCallAtATime) return _quirks.ReplyDelay;
                // One at a time: this call is answered only after the previous one, however long that takes.
                var start = _busyUntil > now ? _busyUntil : now;
                _busyUntil = start + _quirks.ReplyDelay;
                return _busyUntil - now;
            });
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return Mutate(now => Dispatch(now, action, payload));
        }
        finally
        {
            Interlocked.Decrement(ref _callsInFlight);
        }
    }

    private CallOutcome Dispatch(DateTimeOffset now, string action, JsonNode? payload)
    {
        _afterReply.Clear();
        OcppCallErrorException? error = null;
        JsonObject? result = null;
        try
        {
            if (!_link.IsOpen || _availability.Rebooting) throw new OcppCallErrorException("GenericError", "station is rebooting or offline");
            if (_link.IsDesynchronised) throw new OcppCallErrorException("GenericError", "session desynchronised (unknown message id); reconnect or reboot");
            if (_boot.IsRejected) throw new OcppCallErrorException("SecurityError", "BootNotification was rejected");
            var request = Object(payload, action);
            result = action switch
            {
                "SetChargingProfile" => _smartChargingCalls.SetChargingProfile(now, request),
                "ClearChargingProfile" => _smartChargingCalls.ClearChargingProfile(now, request),
                "GetChargingProfiles" => _smartChargingCalls.GetChargingProfiles(request),
                "GetCompositeSchedule" => _smartChargingCalls.GetCompositeSchedule(now, request),
                "RequestStartTransaction" => _transactionCalls.RequestStartTransaction(now, request),
                "RequestStopTransaction" => _transactionCalls.RequestStopTransaction(now, request),
                "GetTransactionStatus" => _transactionCalls.GetTransactionStatus(request),
                "Reset" => _stationCalls.Reset(request),
                "SetVariables" => _deviceModelCalls.SetVariables(request),
                "GetVariables" => _deviceModelCalls.GetVariables(request),
                "GetBaseReport" => _deviceModelCalls.GetBaseReport(request),
                "TriggerMessage" => _stationCalls.TriggerMessage(request),
                "ChangeAvailability" => _stationCalls.ChangeAvailability(now, request),
                "UnlockConnector" => _stationCalls.UnlockConnector(request),
                "DataTransfer" => StationCalls.DataTransfer(request),
                _ when KnownButUnsupported.Contains(action) => throw new OcppCallErrorException("NotSupported", $"{action} is not supported by this station"),
                _ => throw new OcppCallErrorException("NotImplemented", $"unknown action '{action}'"),
            };
        }
        catch (OcppCallErrorException e)
        {
            error = e;
            _afterReply.Clear();
            _log.LogWarning("Station {StationId}: {Action} answered with {Code}: {Description}", _options.StationId, action, e.ErrorCode, e.Description);
        }
        Record(now, SimulatorEventKind.CallReceived, action, payload, result, error?.ErrorCode, error?.Description);

        // Messages queued while handling go out only after the reply (TriggerMessage semantics).
        var kick = _link.TakeKick();
        var after = _afterReply.Take();
        Action? afterReply = after.Length == 0 && !kick ? null : () =>
        {
            foreach (var step in after) Mutate(step);
            if (kick) Mutate(_ => _link.Kick());
        };
        return new CallOutcome(result, error, afterReply);
    }
}
