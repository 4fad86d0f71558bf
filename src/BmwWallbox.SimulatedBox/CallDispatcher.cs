using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Answers CSMS→station calls: quirk 1 (strictly one after another, each after the reply delay; an
/// overlapping call desynchronises a strict box), then parse fully, change state, answer; what the
/// call sets off runs once the answer is on the wire.
/// </summary>
internal sealed class CallDispatcher
{
    private static readonly HashSet<string> KnownButUnsupported =
    [
        "CancelReservation", "CertificateSigned", "ClearCache", "ClearDisplayMessage", "ClearVariableMonitoring",
        "CostUpdated", "CustomerInformation", "DeleteCertificate", "GetDisplayMessages", "GetInstalledCertificateIds",
        "GetLocalListVersion", "GetLog", "GetMonitoringReport", "GetReport", "InstallCertificate", "PublishFirmware",
        "ReserveNow", "SendLocalList", "SetDisplayMessage", "SetMonitoringBase", "SetMonitoringLevel",
        "SetNetworkProfile", "SetVariableMonitoring", "UnpublishFirmware", "UpdateFirmware",
    ];

    private readonly SimulatedBoxOptions _options;
    private readonly BoxQuirks _quirks;
    private readonly StationGate _gate;
    private readonly CsmsLink _link;
    private readonly BootSequence _boot;
    private readonly Availability _availability;
    private readonly EventLog _events;
    private readonly ILogger _log;
    private readonly AfterReply _afterReply;
    private readonly SmartChargingCalls _smartCharging;
    private readonly TransactionCalls _transactions;
    private readonly DeviceModelCalls _deviceModel;
    private readonly StationCalls _station;
    /// <summary>Quirk 1: when the box is through with the calls it has already taken.</summary>
    private DateTimeOffset _busyUntil;
    private int _callsInFlight;

    public CallDispatcher(SimulatedBoxOptions options, StationGate gate, CsmsLink link, BootSequence boot, Availability availability,
        EventLog events, ILogger log, AfterReply afterReply, SmartChargingCalls smartCharging, TransactionCalls transactions,
        DeviceModelCalls deviceModel, StationCalls station)
    {
        _options = options;
        _quirks = options.Quirks;
        _gate = gate;
        _link = link;
        _boot = boot;
        _availability = availability;
        _events = events;
        _log = log;
        _afterReply = afterReply;
        _smartCharging = smartCharging;
        _transactions = transactions;
        _deviceModel = deviceModel;
        _station = station;
    }

    /// <summary>In-process: the CALLRESULT payload, or an <see cref="OcppCallErrorException"/> for a CALLERROR.</summary>
    public async Task<JsonNode> HandleInProcessAsync(string action, JsonNode? payload, CancellationToken cancellationToken)
    {
        _gate.Locked(() =>
        {
            _gate.ThrowIfDisposed();
            if (!_link.IsOpen) throw new InvalidOperationException($"Station {_options.StationId} is not connected (dropped or rebooting).");
        });
        var outcome = await HandleAsync(action, payload, cancellationToken).ConfigureAwait(false);
        outcome.AfterReply?.Invoke();
        if (outcome.Error is { } error) throw new OcppCallErrorException(error.ErrorCode, error.Description, error.Details);
        return WireCopy(outcome.Result!);
    }

    /// <summary>For transports: the answer, plus what to run once the answer is on the wire.</summary>
    public async Task<CallOutcome> HandleAsync(string action, JsonNode? payload, CancellationToken cancellationToken)
    {
        var overlapping = Interlocked.Increment(ref _callsInFlight) > 1;
        try
        {
            var delay = _gate.Mutate(now =>
            {
                if (overlapping && _quirks.StrictMessageIds)
                    _link.Desynchronise(now, $"{action} arrived while the reply to the previous call was still pending");
                if (!_quirks.OneCallAtATime) return _quirks.ReplyDelay;
                // One at a time: this call is answered only after the previous one, however long that takes.
                var start = _busyUntil > now ? _busyUntil : now;
                _busyUntil = start + _quirks.ReplyDelay;
                return _busyUntil - now;
            });
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _gate.Time, cancellationToken).ConfigureAwait(false);
            return _gate.Mutate(now => Dispatch(now, action, payload));
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
                "SetChargingProfile" => _smartCharging.SetChargingProfile(now, request),
                "ClearChargingProfile" => _smartCharging.ClearChargingProfile(now, request),
                "GetChargingProfiles" => _smartCharging.GetChargingProfiles(request),
                "GetCompositeSchedule" => _smartCharging.GetCompositeSchedule(now, request),
                "RequestStartTransaction" => _transactions.RequestStartTransaction(now, request),
                "RequestStopTransaction" => _transactions.RequestStopTransaction(now, request),
                "GetTransactionStatus" => _transactions.GetTransactionStatus(request),
                "Reset" => _station.Reset(request),
                "SetVariables" => _deviceModel.SetVariables(request),
                "GetVariables" => _deviceModel.GetVariables(request),
                "GetBaseReport" => _deviceModel.GetBaseReport(request),
                "TriggerMessage" => _station.TriggerMessage(request),
                "ChangeAvailability" => _station.ChangeAvailability(now, request),
                "UnlockConnector" => _station.UnlockConnector(request),
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
        _events.Add(now, SimulatorEventKind.CallReceived, action, payload, result, error?.ErrorCode, error?.Description);

        // Messages queued while handling go out only after the reply (TriggerMessage semantics).
        var kick = _link.TakeKick();
        var after = _afterReply.Take();
        Action? afterReply = after.Length == 0 && !kick ? null : () =>
        {
            foreach (var step in after) _gate.Mutate(step);
            if (kick) _gate.Mutate(_ => _link.Kick());
        };
        return new CallOutcome(result, error, afterReply);
    }
}

/// <summary>The box's answer to a CSMS call plus what it does once the answer is on the wire.</summary>
internal sealed record CallOutcome(JsonNode? Result, OcppCallErrorException? Error, Action? AfterReply);
