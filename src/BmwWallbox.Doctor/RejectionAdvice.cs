namespace BmwWallbox.Doctor;

/// <summary>The fix for a refused command, chosen from what the box or the safety envelope said.</summary>
internal static class RejectionAdvice
{
    public static string For(RejectedCommand rejected)
    {
        var text = $"{rejected.Action} {rejected.Message}";
        bool Has(string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);

        if (Has("Finishing"))
            return "unplug and replug the car, or reboot: RequestStopTransaction leaves the BMW box in Finishing";
        if (Has("no transaction") || Has("no active transaction") || Has("without a transaction") || Has("not charging"))
            return "plug in the car / start a session first";
        if (Has("out of range") || Has("envelope") || Has("min_current") || Has("max_current"))
            return "ask for 0 (pause) or a current within [wallbox.min_current, wallbox.max_current]";
        if (Has("evse"))
            return "set wallbox.evse_id to 1 (the BMW box has one EVSE)";
        if (Has("not connected"))
            return "the box was offline: see the connection line above";
        if (Has("SetChargingProfile"))
            return "the box refuses profiles after SuspendedEVSE/Faulted; a reboot fixes it (allow_reboot)";
        return "see the bmw-rules log around that time for the box's answer";
    }
}
