using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Schemas;
using BmwWallbox.Ocpp.State;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Answers every station → CSMS message of OCPP 2.0.1 that a wallbox sends: validates it against
/// the official schema (a violation gets its CALLERROR), updates the wallbox state, and replies.
/// Messages a minimal CSMS ignores get a plain, valid answer, never an error (quirk 2).
/// </summary>
internal sealed class StationCallHandler
{
    private readonly Dictionary<string, Func<string, JsonElement, RpcReply>> _handlers = new(StringComparer.Ordinal);
    private readonly WallboxStateStore _states;
    private readonly OcppOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _idTokens;
    private readonly LastBoots? _lastBoots;

    public StationCallHandler(WallboxStateStore states, OcppOptions options, TimeProvider time, ILogger logger, LastBoots? lastBoots = null)
    {
        _lastBoots = lastBoots;
        _states = states;
        _options = options;
        _time = time;
        _logger = logger;
        _idTokens = new HashSet<string>(options.IdTokens, StringComparer.Ordinal);
        On("BootNotification", static j => j.BootNotificationRequest, static j => j.BootNotificationResponse, OnBoot);
        On("Heartbeat", static j => j.HeartbeatRequest, static j => j.HeartbeatResponse, (station, _) =>
        {
            _states.Update(station, StateReducer.Heartbeat);
            return new HeartbeatResponse(_time.GetUtcNow());
        });
        On("StatusNotification", static j => j.StatusNotificationRequest, static j => j.StatusNotificationResponse, OnStatus);
        On("TransactionEvent", static j => j.TransactionEventRequest, static j => j.TransactionEventResponse, OnTransactionEvent);
        On("MeterValues", static j => j.MeterValuesRequest, static j => j.MeterValuesResponse, (station, request) =>
        {
            _states.Update(station, (t, now) => StateReducer.Meter(t, request.MeterValue, now));
            return new MeterValuesResponse();
        });
        On("Authorize", static j => j.AuthorizeRequest, static j => j.AuthorizeResponse, (station, request) =>
        {
            var info = Authorize(station, request.IdToken);
            _logger.LogInformation("{StationId} Authorize {IdToken}: {AuthorizationStatus}", station, IdTokenMask.Mask(request.IdToken.Value), info.Status);
            Touch(station);
            return new AuthorizeResponse(info);
        });
        On("NotifyReport", static j => j.NotifyReportRequest, static j => j.NotifyReportResponse, (station, request) =>
        {
            _states.Update(station, (t, now) => StateReducer.Variables(t, StateReducer.ActualValues(request.ReportData ?? []), now));
            return new NotifyReportResponse();
        });
        On("NotifyEvent", static j => j.NotifyEventRequest, static j => j.NotifyEventResponse, (station, request) =>
        {
            foreach (var e in request.EventData)
            {
                _logger.LogInformation("{StationId} event {Component}.{Variable} = {ActualValue} ({Trigger}{TechInfo})",
                    station, e.Component.Name, e.Variable.Name, e.ActualValue, e.Trigger, e.TechInfo is null ? "" : ", " + e.TechInfo);
            }
            Touch(station);
            return new NotifyEventResponse();
        });
        On("NotifyEVChargingNeeds", static j => j.NotifyEVChargingNeedsRequest, static j => j.NotifyEVChargingNeedsResponse, (station, request) =>
        {
            var ac = request.ChargingNeeds.AcChargingParameters;
            _logger.LogInformation("{StationId} EV charging needs: {EnergyTransfer}, {EvMinCurrent}-{EvMaxCurrent} A",
                station, request.ChargingNeeds.RequestedEnergyTransfer, ac?.EvMinCurrent, ac?.EvMaxCurrent);
            Touch(station);
            // Accepted: the limit comes with the charge controller's next charging profile.
            return new NotifyEVChargingNeedsResponse(NotifyEVChargingNeedsStatus.Accepted);
        });
        On("NotifyChargingLimit", static j => j.NotifyChargingLimitRequest, static j => j.NotifyChargingLimitResponse, (station, request) =>
        {
            _logger.LogInformation("{StationId} reports an external charging limit from {ChargingLimitSource}", station, request.ChargingLimit.ChargingLimitSource);
            Touch(station);
            return new NotifyChargingLimitResponse();
        });
        On("ClearedChargingLimit", static j => j.ClearedChargingLimitRequest, static j => j.ClearedChargingLimitResponse, (station, request) =>
        {
            _logger.LogInformation("{StationId} external charging limit from {ChargingLimitSource} cleared", station, request.ChargingLimitSource);
            Touch(station);
            return new ClearedChargingLimitResponse();
        });
        On("SecurityEventNotification", static j => j.SecurityEventNotificationRequest, static j => j.SecurityEventNotificationResponse, (station, request) =>
        {
            _logger.LogInformation("{StationId} security event {SecurityEvent} {TechInfo}", station, request.Type, request.TechInfo);
            Touch(station);
            return new SecurityEventNotificationResponse();
        });
        On("FirmwareStatusNotification", static j => j.FirmwareStatusNotificationRequest, static j => j.FirmwareStatusNotificationResponse, (station, request) =>
        {
            _logger.LogInformation("{StationId} firmware status {FirmwareStatus}", station, request.Status);
            Touch(station);
            return new FirmwareStatusNotificationResponse();
        });
        On("LogStatusNotification", static j => j.LogStatusNotificationRequest, static j => j.LogStatusNotificationResponse, (station, request) =>
        {
            _logger.LogInformation("{StationId} log upload status {LogStatus}", station, request.Status);
            Touch(station);
            return new LogStatusNotificationResponse();
        });
        On("DataTransfer", static j => j.DataTransferRequest, static j => j.DataTransferResponse, (station, request) =>
        {
            _logger.LogInformation("{StationId} DataTransfer from vendor {VendorId} ({MessageId}) is not used", station, request.VendorId, request.MessageId);
            Touch(station);
            return new DataTransferResponse(DataTransferStatus.UnknownVendorId);
        });
    }

    public ValueTask<RpcReply> HandleAsync(string stationId, string action, JsonElement payload)
    {
        if (!_handlers.TryGetValue(action, out var handle))
        {
            return ValueTask.FromResult(OcppSchemas.Default.IsKnownAction(action)
                ? RpcReply.Error(RpcErrorCode.NotSupported, $"{action} is not supported by this CSMS")
                : RpcReply.Error(RpcErrorCode.NotImplemented, $"Unknown action {action}"));
        }

        if (OcppSchemas.Default.ValidateRequest(action, payload) is { } violation)
            return ValueTask.FromResult(RpcReply.Error(violation.ErrorCode, $"{action}: {violation.Message}"));

        return ValueTask.FromResult(handle(stationId, payload));
    }

    /// <summary>
    /// The action's JSON metadata is built at its first message, not here: building it for every action
    /// at start was a quarter of the start-up's JIT work (README, "Start-up and idle memory").
    /// </summary>
    private void On<TRequest, TResponse>(string action, Func<OcppJsonContext, JsonTypeInfo<TRequest>> requestType,
        Func<OcppJsonContext, JsonTypeInfo<TResponse>> responseType, Func<string, TRequest, TResponse> handle)
    {
        JsonTypeInfo<TRequest>? requestInfo = null;
        JsonTypeInfo<TResponse>? responseInfo = null;
        _handlers[action] = (station, payload) =>
        {
            requestInfo ??= requestType(OcppJsonContext.Default);
            responseInfo ??= responseType(OcppJsonContext.Default);
            TRequest? request;
            try
            {
                request = payload.Deserialize(requestInfo);
            }
            catch (JsonException e)
            {
                return RpcReply.Error(RpcErrorCode.FormatViolation, $"{action}: {e.Message}");
            }
            return request is null
                ? RpcReply.Error(RpcErrorCode.FormatViolation, $"{action}: empty payload")
                : RpcReply.Result(handle(station, request), responseInfo);
        };
    }

    private BootNotificationResponse OnBoot(string station, BootNotificationRequest request)
    {
        var box = request.ChargingStation;
        _logger.LogInformation("{StationId} booted ({BootReason}): {Vendor} {Model}, serial {SerialNumber}, firmware {FirmwareVersion}",
            station, request.Reason, box.VendorName, box.Model, box.SerialNumber, box.FirmwareVersion);
        var state = _states.Update(station, (t, now) => StateReducer.Boot(t, request, now));
        _lastBoots?.Record(station, state.Boot!);
        return new BootNotificationResponse(_time.GetUtcNow(), (int)Math.Round(_options.HeartbeatInterval.TotalSeconds), RegistrationStatus.Accepted);
    }

    private StatusNotificationResponse OnStatus(string station, StatusNotificationRequest request)
    {
        _logger.LogInformation("{StationId} EVSE {EvseId} connector {ConnectorId}: {ConnectorStatus}", station, request.EvseId, request.ConnectorId, request.ConnectorStatus);
        _states.Update(station, request, StateReducer.Status);
        return new StatusNotificationResponse();
    }

    private TransactionEventResponse OnTransactionEvent(string station, TransactionEventRequest request)
    {
        var tx = request.TransactionInfo;
        var level = request.EventType == TransactionEventType.Updated ? LogLevel.Debug : LogLevel.Information;
        if (_logger.IsEnabled(level)) // the arguments are boxed before the logger looks at the level
            _logger.Log(level, "{StationId} transaction {TransactionId} {EventType} #{SeqNo} ({TriggerReason}{Offline}) state {ChargingState}{StoppedReason}",
            station, tx.TransactionId, request.EventType, request.SeqNo, request.TriggerReason, request.Offline == true ? ", offline" : "",
            tx.ChargingState, tx.StoppedReason is null ? "" : ", stopped: " + tx.StoppedReason);
        _states.Update(station, request, StateReducer.Transaction);
        return new TransactionEventResponse(request.IdToken is { } token ? Authorize(station, token) : null);
    }

    /// <summary>Every token when ocpp.id_tokens is empty (a private box); otherwise only the listed ones.</summary>
    private IdTokenInfo Authorize(string station, IdToken token)
    {
        var accepted = _idTokens.Count == 0 || token.Type == IdTokenKind.NoAuthorization || _idTokens.Contains(token.Value);
        if (!accepted)
            _logger.LogWarning("{StationId} id token {IdToken} is not in ocpp.id_tokens: Unknown", station, IdTokenMask.Mask(token.Value));
        return new IdTokenInfo(accepted ? AuthorizationStatus.Accepted : AuthorizationStatus.Unknown);
    }

    private void Touch(string station) => _states.Update(station, (t, now) => StateReducer.Message(t, now));
}
