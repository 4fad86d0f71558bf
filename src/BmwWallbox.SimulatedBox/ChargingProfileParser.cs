using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Reads a SetChargingProfileRequest. Malformed JSON → <see cref="OcppCallErrorException"/>;
/// well-formed but unsupported by the box (the BMW's device-model limits) → a Rejected reason.
/// </summary>
internal static class ChargingProfileParser
{
    public const int MaxStackLevel = 5;
    public const int MaxPeriods = 33;

    public static ChargingProfile? Parse(JsonObject request, DateTimeOffset now, out string? rejectReason)
    {
        rejectReason = null;
        var evseId = RequireInt(request, "evseId", "SetChargingProfile");
        var p = RequireObject(request, "chargingProfile", "SetChargingProfile");
        const string path = "chargingProfile";
        var id = RequireInt(p, "id", path);
        var stackLevel = RequireInt(p, "stackLevel", path);
        var purpose = RequireEnum(p, "chargingProfilePurpose", path,
            "ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile");
        var kind = RequireEnum(p, "chargingProfileKind", path, "Absolute", "Recurring", "Relative");
        var recurrency = OptionalEnum(p, "recurrencyKind", path, "Daily", "Weekly");
        var validFrom = OptionalTimestamp(p, "validFrom", path);
        var validTo = OptionalTimestamp(p, "validTo", path);
        var transactionId = OptionalString(p, "transactionId", path);
        var schedules = RequireArray(p, "chargingSchedule", path);
        if (schedules.Count is < 1 or > 3)
            throw new OcppCallErrorException("OccurrenceConstraintViolation", "chargingProfile.chargingSchedule must hold 1..3 schedules");

        var s = Object(schedules[0], "chargingProfile.chargingSchedule[0]");
        const string spath = "chargingProfile.chargingSchedule[0]";
        RequireInt(s, "id", spath);
        var rateUnit = RequireEnum(s, "chargingRateUnit", spath, "A", "W");
        var startSchedule = OptionalTimestamp(s, "startSchedule", spath);
        var duration = OptionalInt(s, "duration", spath);
        var periodsJson = RequireArray(s, "chargingSchedulePeriod", spath);
        var periods = new List<ChargingSchedulePeriod>(periodsJson.Count);
        for (var i = 0; i < periodsJson.Count; i++)
        {
            var pp = Object(periodsJson[i], $"{spath}.chargingSchedulePeriod[{i}]");
            var ppath = $"{spath}.chargingSchedulePeriod[{i}]";
            var limit = RequireNumber(pp, "limit", ppath);
            if (limit < 0 || double.IsNaN(limit))
                throw new OcppCallErrorException("PropertyConstraintViolation", $"{ppath}.limit must be >= 0, was {limit}");
            var phases = OptionalInt(pp, "numberPhases", ppath);
            if (phases is not (null or 1 or 2 or 3))
                throw new OcppCallErrorException("PropertyConstraintViolation", $"{ppath}.numberPhases must be 1..3, was {phases}");
            periods.Add(new ChargingSchedulePeriod(RequireInt(pp, "startPeriod", ppath), limit, phases));
        }

        rejectReason = Check(evseId, stackLevel, purpose, kind, recurrency, transactionId, schedules.Count, periods, duration);
        if (rejectReason is not null) return null;

        return new ChargingProfile
        {
            EvseId = evseId, Id = id, StackLevel = stackLevel, Purpose = purpose, Kind = kind,
            RecurrencyKind = recurrency, TransactionId = transactionId, ValidFrom = validFrom, ValidTo = validTo,
            RateUnit = rateUnit, StartSchedule = startSchedule, DurationSeconds = duration, Periods = periods,
            InstalledAt = now, Raw = p,
        };
    }

    private static string? Check(int evseId, int stackLevel, string purpose, string kind, string? recurrency,
        string? transactionId, int scheduleCount, List<ChargingSchedulePeriod> periods, int? duration)
    {
        if (evseId is not (0 or 1)) return $"Unknown evseId {evseId}";
        if (stackLevel is < 0 or > MaxStackLevel) return $"stackLevel {stackLevel} outside 0..{MaxStackLevel}";
        if (purpose == "ChargingStationExternalConstraints") return "ChargingStationExternalConstraints cannot be set by the CSMS";
        if (purpose == "ChargingStationMaxProfile" && evseId != 0) return "ChargingStationMaxProfile needs evseId 0";
        if (purpose == "TxProfile" && evseId != 1) return "TxProfile needs evseId 1";
        if (purpose == "TxProfile" && transactionId is null) return "TxProfile without transactionId";
        if (purpose != "TxProfile" && transactionId is not null) return "transactionId only allowed on TxProfile";
        if (kind == "Recurring" && recurrency is null) return "Recurring profile without recurrencyKind";
        if (scheduleCount != 1) return "only one chargingSchedule supported";
        if (periods.Count is 0 or > MaxPeriods) return $"chargingSchedulePeriod count must be 1..{MaxPeriods}";
        if (periods[0].StartPeriod != 0) return "first startPeriod must be 0";
        for (var i = 1; i < periods.Count; i++)
            if (periods[i].StartPeriod <= periods[i - 1].StartPeriod) return "startPeriod values must increase";
        if (duration is <= 0) return "duration must be > 0";
        return null;
    }
}
