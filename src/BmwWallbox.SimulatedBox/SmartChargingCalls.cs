using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using static BmwWallbox.SimulatedBox.CallResult;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// CSMS calls about charging profiles: SetChargingProfile (through <see cref="ProfileStack"/> and its
/// quirks), ClearChargingProfile (quirk 6: Unknown when nothing matched), GetChargingProfiles, GetCompositeSchedule.
/// </summary>
internal sealed class SmartChargingCalls(SimulatedBoxOptions options, ProfileStack profiles, TransactionLifecycle transactions,
    ChargeRegulator regulator, CsmsLink link, AfterReply afterReply, ILogger log)
{
    public JsonObject SetChargingProfile(DateTimeOffset now, JsonObject request)
    {
        var profile = ChargingProfileParser.Parse(request, now, out var invalid);
        if (profile is null) return Status("Rejected", "InvalidProfile", invalid);
        regulator.Update(now);
        var (status, reasonCode, info) = profiles.Install(profile, transactions.Current);
        if (status != "Accepted" || info is not null)
            log.LogInformation("Station {StationId}: SetChargingProfile {Id} {Status}: {Info}", options.StationId, profile.Id, status, info);
        regulator.Update(now);
        return Status(status, reasonCode, status == "Accepted" ? null : info);
    }

    public JsonObject ClearChargingProfile(DateTimeOffset now, JsonObject request)
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
        regulator.Update(now);
        var removed = profiles.Clear(p =>
            (id is null || p.Id == id) && (evseId is null || p.EvseId == evseId)
            && (purpose is null || p.Purpose == purpose) && (stackLevel is null || p.StackLevel == stackLevel));
        regulator.Update(now);
        if (removed > 0) return Status("Accepted");
        return options.Quirks.ClearAnswersUnknown ? Status("Unknown") : Status("Accepted");
    }

    public JsonObject GetChargingProfiles(JsonObject request)
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
        var matches = profiles.Installed.Where(p => (evseId is null || p.EvseId == evseId) && (purpose is null || p.Purpose == purpose)
            && (stackLevel is null || p.StackLevel == stackLevel) && (ids is null || ids.Contains(p.Id))).ToList();
        if (matches.Count == 0) return Status("NoProfiles");
        afterReply.Add(_ =>
        {
            var groups = matches.GroupBy(p => p.EvseId).ToList();
            for (var i = 0; i < groups.Count; i++)
                link.Send(new Outgoing("ReportChargingProfiles", new JsonObject
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

    public JsonObject GetCompositeSchedule(DateTimeOffset now, JsonObject request)
    {
        const string path = "GetCompositeSchedule";
        var duration = RequireInt(request, "duration", path);
        var unit = OptionalEnum(request, "chargingRateUnit", path, "A", "W") ?? "A";
        var evseId = RequireInt(request, "evseId", path);
        if (evseId is not (0 or 1)) return Status("Rejected", "UnknownEvse", $"evse {evseId} does not exist");
        regulator.Update(now);
        var amps = regulator.AppliedLimit ?? options.EffectiveHardwareMaxAmps;
        var limit = unit == "A" ? amps : amps * options.VoltageV * options.Phases;
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
}
