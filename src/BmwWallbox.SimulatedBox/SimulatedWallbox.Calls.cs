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
    private readonly List<Action<DateTimeOffset>> _afterReply = [];

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
                "SetChargingProfile" => SetChargingProfile(now, request),
                "ClearChargingProfile" => ClearChargingProfile(now, request),
                "GetChargingProfiles" => GetChargingProfiles(request),
                "GetCompositeSchedule" => GetCompositeSchedule(now, request),
                "RequestStartTransaction" => RequestStartTransaction(now, request),
                "RequestStopTransaction" => RequestStopTransaction(now, request),
                "GetTransactionStatus" => GetTransactionStatus(request),
                "Reset" => Reset(request),
                "SetVariables" => SetVariables(request),
                "GetVariables" => GetVariables(request),
                "GetBaseReport" => GetBaseReport(request),
                "TriggerMessage" => TriggerMessage(request),
                "ChangeAvailability" => ChangeAvailability(now, request),
                "UnlockConnector" => UnlockConnector(request),
                "DataTransfer" => DataTransfer(request),
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
        var after = _afterReply.ToArray();
        _afterReply.Clear();
        Action? afterReply = after.Length == 0 && !kick ? null : () =>
        {
            foreach (var step in after) Mutate(step);
            if (kick) Mutate(_ => _link.Kick());
        };
        return new CallOutcome(result, error, afterReply);
    }

    private void AfterReply(Action<DateTimeOffset> step) => _afterReply.Add(step);

    private static JsonObject Status(string status, string? reasonCode = null, string? info = null)
    {
        var result = new JsonObject { ["status"] = status };
        if (reasonCode is not null)
        {
            var statusInfo = new JsonObject { ["reasonCode"] = reasonCode };
            if (info is not null) statusInfo["additionalInfo"] = info.Length > 512 ? info[..512] : info;
            result["statusInfo"] = statusInfo;
        }
        return result;
    }

    // ---- Smart charging ----

    private JsonObject SetChargingProfile(DateTimeOffset now, JsonObject request)
    {
        var profile = ChargingProfileParser.Parse(request, now, out var invalid);
        if (profile is null) return Status("Rejected", "InvalidProfile", invalid);
        _controller.Update(now);
        var (status, reasonCode, info) = _profiles.Install(profile, _transactions.Current);
        if (status != "Accepted" || info is not null)
            _log.LogInformation("Station {StationId}: SetChargingProfile {Id} {Status}: {Info}", _options.StationId, profile.Id, status, info);
        _controller.Update(now);
        return Status(status, reasonCode, status == "Accepted" ? null : info);
    }

    private JsonObject ClearChargingProfile(DateTimeOffset now, JsonObject request)
    {
        var id = OptionalInt(request, "chargingProfileId", "ClearChargingProfile");
        var criteria = OptionalObject(request, "chargingProfileCriteria", "ClearChargingProfile");
        int? evseId = null, stackLevel = null;
        string? purpose = null;
        if (criteria is not null)
        {
            const string path = "ClearChargingProfile.chargingProfileCriteria";
            evseId = OptionalInt(criteria, "evseId", path);
            purpose = OptionalEnum(criteria, "chargingProfilePurpose", path,
                "ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile");
            stackLevel = OptionalInt(criteria, "stackLevel", path);
        }
        _controller.Update(now);
        var removed = _profiles.Clear(p =>
            (id is null || p.Id == id) && (evseId is null || p.EvseId == evseId)
            && (purpose is null || p.Purpose == purpose) && (stackLevel is null || p.StackLevel == stackLevel));
        _controller.Update(now);
        if (removed > 0) return Status("Accepted");
        return _quirks.ClearAnswersUnknown ? Status("Unknown") : Status("Accepted");
    }

    private JsonObject GetChargingProfiles(JsonObject request)
    {
        const string path = "GetChargingProfiles";
        var requestId = RequireInt(request, "requestId", path);
        var evseId = OptionalInt(request, "evseId", path);
        var criterion = RequireObject(request, "chargingProfile", path);
        var purpose = OptionalEnum(criterion, "chargingProfilePurpose", path + ".chargingProfile",
            "ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile");
        var stackLevel = OptionalInt(criterion, "stackLevel", path + ".chargingProfile");
        var ids = OptionalArray(criterion, "chargingProfileId", path + ".chargingProfile")?
            .Select((n, i) => TryInt(n, out var x) ? x
                : throw new OcppCallErrorException("TypeConstraintViolation", $"{path}.chargingProfile.chargingProfileId[{i}] must be an integer"))
            .ToHashSet();
        var matches = _profiles.Installed.Where(p => (evseId is null || p.EvseId == evseId) && (purpose is null || p.Purpose == purpose)
            && (stackLevel is null || p.StackLevel == stackLevel) && (ids is null || ids.Contains(p.Id))).ToList();
        if (matches.Count == 0) return Status("NoProfiles");
        AfterReply(_ =>
        {
            var groups = matches.GroupBy(p => p.EvseId).ToList();
            for (var i = 0; i < groups.Count; i++)
                _link.Send(new Outgoing("ReportChargingProfiles", new JsonObject
                {
                    ["requestId"] = requestId,
                    ["chargingLimitSource"] = "CSO",
                    ["evseId"] = groups[i].Key,
                    ["chargingProfile"] = new JsonArray([.. groups[i].Select(p => p.Raw.DeepClone())]),
                    ["tbc"] = i < groups.Count - 1,
                }));
        });
        return Status("Accepted");
    }

    private JsonObject GetCompositeSchedule(DateTimeOffset now, JsonObject request)
    {
        const string path = "GetCompositeSchedule";
        var duration = RequireInt(request, "duration", path);
        var unit = OptionalEnum(request, "chargingRateUnit", path, "A", "W") ?? "A";
        var evseId = RequireInt(request, "evseId", path);
        if (evseId is not (0 or 1)) return Status("Rejected", "UnknownEvse", $"evse {evseId} does not exist");
        _controller.Update(now);
        var amps = _controller.AppliedLimit ?? HardwareMaxAmps;
        var limit = unit == "A" ? amps : amps * _options.VoltageV * _options.Phases;
        var result = Status("Accepted");
        result["schedule"] = new JsonObject
        {
            ["evseId"] = evseId,
            ["duration"] = duration,
            ["scheduleStart"] = Timestamp(now),
            ["chargingRateUnit"] = unit,
            ["chargingSchedulePeriod"] = new JsonArray(new JsonObject { ["startPeriod"] = 0, ["limit"] = Math.Round(limit, 1) }),
        };
        return result;
    }

    // ---- Transactions ----

    private JsonObject RequestStartTransaction(DateTimeOffset now, JsonObject request)
    {
        const string path = "RequestStartTransaction";
        var evseId = OptionalInt(request, "evseId", path);
        var remoteStartId = RequireInt(request, "remoteStartId", path);
        var idToken = RequireObject(request, "idToken", path);
        RequireString(idToken, "idToken", path + ".idToken");
        RequireString(idToken, "type", path + ".idToken");
        if (evseId is not (null or 1)) return Status("Rejected", "UnknownEvse", $"evse {evseId} does not exist");
        if (_availability.Faulted || _availability.Inoperative) return Status("Rejected", "UnavailableEvse", "connector is not available");
        if (_transactions.Finishing) return Status("Rejected", "TxInProgress", "connector is Finishing after a remote stop; unplug or reboot (quirk 10)");
        _controller.Update(now);
        if (_transactions.Current is not null)
        {
            if (!_transactions.Current.Authorized)
            {
                _transactions.Authorize(now, (JsonObject)idToken.DeepClone(), remoteStartId);
                _controller.Update(now);
            }
            var running = Status("Accepted");
            running["transactionId"] = _transactions.Current.Id;
            return running;
        }
        var token = (JsonObject)idToken.DeepClone();
        if (_meter.Car is null)
        {
            _transactions.StartOnPlugIn(remoteStartId, token);
            return Status("Accepted");
        }
        _transactions.Start(now, "RemoteStart", remoteStartId, token);
        _controller.Update(now);
        var result = Status("Accepted");
        result["transactionId"] = _transactions.Current!.Id;
        return result;
    }

    private JsonObject RequestStopTransaction(DateTimeOffset now, JsonObject request)
    {
        var id = RequireString(request, "transactionId", "RequestStopTransaction");
        if (_transactions.Current is null || _transactions.Current.Id != id) return Status("Rejected", "TxNotFound", $"transaction '{id}' is not ongoing");
        _controller.Update(now);
        _transactions.End(now, "RemoteStop", "Remote", carLeaving: false);
        if (_quirks.FinishingAfterRemoteStop) _transactions.Finishing = true;
        _controller.Update(now);
        return Status("Accepted");
    }

    private JsonObject GetTransactionStatus(JsonObject request)
    {
        var id = OptionalString(request, "transactionId", "GetTransactionStatus");
        var result = new JsonObject { ["messagesInQueue"] = _queue.HasTransactionEvents };
        if (id is not null) result["ongoingIndicator"] = _transactions.Current?.Id == id;
        return result;
    }

    // ---- Reset and availability ----

    private JsonObject Reset(JsonObject request)
    {
        var type = RequireEnum(request, "type", "Reset", "Immediate", "OnIdle");
        var evseId = OptionalInt(request, "evseId", "Reset");
        if (evseId is not null) return Status("Rejected", "UnsupportedRequest", "resetting a single EVSE is not supported");
        if (type == "OnIdle" && _transactions.Current is not null)
        {
            _reboot.ScheduleWhenIdle();
            return Status("Scheduled");
        }
        AfterReply(now => _reboot.Begin(now, $"Reset {type}"));
        return Status("Accepted");
    }

    private JsonObject ChangeAvailability(DateTimeOffset now, JsonObject request)
    {
        var status = RequireEnum(request, "operationalStatus", "ChangeAvailability", "Inoperative", "Operative");
        var evse = OptionalObject(request, "evse", "ChangeAvailability");
        var evseId = evse is null ? 0 : RequireInt(evse, "id", "ChangeAvailability.evse");
        var connectorId = evse is null ? null : OptionalInt(evse, "connectorId", "ChangeAvailability.evse");
        if (evseId is not (0 or 1) || connectorId is not (null or 1)) return Status("Rejected", "UnknownEvse", "no such EVSE/connector");
        _controller.Update(now);
        _availability.Inoperative = status == "Inoperative";
        _controller.Update(now);
        return Status("Accepted");
    }

    private JsonObject UnlockConnector(JsonObject request)
    {
        var evseId = RequireInt(request, "evseId", "UnlockConnector");
        var connectorId = RequireInt(request, "connectorId", "UnlockConnector");
        if (evseId != 1 || connectorId != 1) return Status("UnknownConnector");
        return Status(_transactions.Current is null ? "Unlocked" : "OngoingAuthorizedTransaction");
    }

    private static JsonObject DataTransfer(JsonObject request)
    {
        RequireString(request, "vendorId", "DataTransfer");
        return Status("UnknownVendorId");
    }

    // ---- Device model ----

    private JsonObject SetVariables(JsonObject request)
    {
        const string path = "SetVariables";
        var data = RequireArray(request, "setVariableData", path);
        if (data.Count == 0) throw new OcppCallErrorException("OccurrenceConstraintViolation", "SetVariables.setVariableData must not be empty");
        var entries = new List<(string? Type, string Value, JsonObject Component, JsonObject Variable)>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var entryPath = $"{path}.setVariableData[{i}]";
            var entry = Object(data[i], entryPath);
            var value = RequireString(entry, "attributeValue", entryPath);
            if (value.Length > 1000) throw new OcppCallErrorException("PropertyConstraintViolation", $"{entryPath}.attributeValue is longer than 1000 characters");
            var component = RequireObject(entry, "component", entryPath);
            var variable = RequireObject(entry, "variable", entryPath);
            RequireString(component, "name", entryPath + ".component");
            RequireString(variable, "name", entryPath + ".variable");
            entries.Add((OptionalEnum(entry, "attributeType", entryPath, "Actual", "Target", "MinSet", "MaxSet"), value, component, variable));
        }

        var results = new JsonArray();
        foreach (var (type, value, component, variable) in entries)
        {
            var status = _device.TrySet(component["name"]!.GetValue<string>(), variable["name"]!.GetValue<string>(),
                OptionalString(variable, "instance", "variable"), type, value);
            var result = new JsonObject { ["attributeStatus"] = status, ["component"] = component.DeepClone(), ["variable"] = variable.DeepClone() };
            if (type is not null) result["attributeType"] = type;
            results.Add(result);
        }
        RearmIntervals();
        return new JsonObject { ["setVariableResult"] = results };
    }

    private JsonObject GetVariables(JsonObject request)
    {
        const string path = "GetVariables";
        var data = RequireArray(request, "getVariableData", path);
        if (data.Count == 0) throw new OcppCallErrorException("OccurrenceConstraintViolation", "GetVariables.getVariableData must not be empty");
        var results = new JsonArray();
        var parsed = new List<(string? Type, JsonObject Component, JsonObject Variable)>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var entryPath = $"{path}.getVariableData[{i}]";
            var entry = Object(data[i], entryPath);
            var component = RequireObject(entry, "component", entryPath);
            var variable = RequireObject(entry, "variable", entryPath);
            RequireString(component, "name", entryPath + ".component");
            RequireString(variable, "name", entryPath + ".variable");
            OptionalString(variable, "instance", entryPath + ".variable");
            parsed.Add((OptionalEnum(entry, "attributeType", entryPath, "Actual", "Target", "MinSet", "MaxSet"), component, variable));
        }
        foreach (var (type, component, variable) in parsed)
        {
            var componentName = component["name"]!.GetValue<string>();
            var v = _device.Find(componentName, variable["name"]!.GetValue<string>(), variable["instance"]?.GetValue<string>());
            var status = !_device.HasComponent(componentName) ? "UnknownComponent"
                : v is null ? "UnknownVariable"
                : type is not (null or "Actual") ? "NotSupportedAttributeType"
                : v.Mutability == "WriteOnly" ? "Rejected"
                : "Accepted";
            var result = new JsonObject { ["attributeStatus"] = status };
            if (type is not null) result["attributeType"] = type;
            if (status == "Accepted") result["attributeValue"] = v!.Value;
            result["component"] = component.DeepClone();
            result["variable"] = variable.DeepClone();
            results.Add(result);
        }
        return new JsonObject { ["getVariableResult"] = results };
    }

    private JsonObject GetBaseReport(JsonObject request)
    {
        var requestId = RequireInt(request, "requestId", "GetBaseReport");
        var reportBase = RequireEnum(request, "reportBase", "GetBaseReport", "ConfigurationInventory", "FullInventory", "SummaryInventory");
        var variables = reportBase switch
        {
            "ConfigurationInventory" => _device.Variables.Where(v => v.Mutability != "ReadOnly").ToList(),
            "SummaryInventory" => _device.Variables.Where(v => v.Component == "ChargingStation").ToList(),
            _ => [.. _device.Variables],
        };
        AfterReply(now =>
        {
            const int perMessage = 20;
            var pages = (variables.Count + perMessage - 1) / perMessage;
            for (var page = 0; page < pages; page++)
                _link.Send(new Outgoing("NotifyReport", new JsonObject
                {
                    ["requestId"] = requestId,
                    ["generatedAt"] = Timestamp(now),
                    ["seqNo"] = page,
                    ["tbc"] = page < pages - 1,
                    ["reportData"] = new JsonArray([.. variables.Skip(page * perMessage).Take(perMessage).Select(_device.ReportEntry)]),
                }));
        });
        return Status("Accepted");
    }

    private JsonObject TriggerMessage(JsonObject request)
    {
        var requested = RequireEnum(request, "requestedMessage", "TriggerMessage",
            "BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
            "SignChargingStationCertificate", "SignV2GCertificate", "StatusNotification", "TransactionEvent",
            "SignCombinedCertificate", "PublishFirmwareStatusNotification");
        var evse = OptionalObject(request, "evse", "TriggerMessage");
        var evseId = evse is null ? (int?)null : RequireInt(evse, "id", "TriggerMessage.evse");
        if (evseId is not (null or 0 or 1)) return Status("Rejected", "UnknownEvse", $"evse {evseId} does not exist");
        switch (requested)
        {
            case "MeterValues":
                AfterReply(now =>
                {
                    _controller.Update(now);
                    _link.Send(new Outgoing("MeterValues", _sampler.MeterValuesPayload(now, "Trigger", MeterSampler.AllMeasurands, _transactions.Current)));
                });
                return Status("Accepted");
            case "TransactionEvent":
                if (_transactions.Current is null) return Status("Rejected", "TxNotFound", "no transaction is ongoing");
                AfterReply(now =>
                {
                    _controller.Update(now);
                    if (_transactions.Current is not null)
                        _transactions.SendUpdated(now, "Trigger", "Trigger");
                });
                return Status("Accepted");
            case "Heartbeat":
                AfterReply(_ => _link.Send(new Outgoing("Heartbeat", [])));
                return Status("Accepted");
            case "BootNotification" or "StatusNotification":
                return Status("Rejected");
            default:
                return Status("NotImplemented");
        }
    }
}
