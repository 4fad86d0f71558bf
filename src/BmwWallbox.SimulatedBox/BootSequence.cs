using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Registration with the CSMS: a BootNotification after power-up or reboot (with
/// <see cref="SimulatedBoxOptions.BootOnReconnect"/> on every connection); until it is Accepted the
/// box sends nothing else, and Pending or Rejected is retried after the interval the CSMS gives.
/// </summary>
internal sealed class BootSequence(SimulatedBoxOptions options, DeviceModel device)
{
    private enum Phase { NotSent, InFlight, Waiting, Accepted, Rejected }

    /// <summary>Retry after a Pending/Rejected without interval, or an unanswered BootNotification.</summary>
    public static readonly TimeSpan DefaultRetry = TimeSpan.FromSeconds(10);

    private Phase _phase;
    private bool _required = true;

    /// <summary>PowerUp, or RemoteReset until the boot after a Reset is accepted.</summary>
    public string Reason { get; private set; } = "PowerUp";
    /// <summary>Accepted BootNotifications so far.</summary>
    public int Count { get; private set; }
    public bool IsAccepted => _phase == Phase.Accepted;
    public bool IsRejected => _phase == Phase.Rejected;
    /// <summary>A BootNotification should go out next.</summary>
    public bool IsDue => _phase == Phase.NotSent;

    /// <summary>A session opened; true when it needs no BootNotification, i.e. is ready at once.</summary>
    public bool OnSessionOpened()
    {
        if (options.BootOnReconnect) _required = true;
        _phase = _required ? Phase.NotSent : Phase.Accepted;
        return !_required;
    }

    public void OnSessionLost()
    {
        if (_phase != Phase.Accepted) _phase = Phase.NotSent;
    }

    public void RequireAfterReset()
    {
        _required = true;
        Reason = "RemoteReset";
    }

    public Outgoing TakeNotification()
    {
        _phase = Phase.InFlight;
        return new Outgoing("BootNotification", Payload());
    }

    /// <summary>The BootNotification got no answer; it is sent again.</summary>
    public void OnNotificationLost()
    {
        if (_phase == Phase.InFlight) _phase = Phase.NotSent;
    }

    /// <summary>The CSMS answered: true when Accepted, otherwise when to try again.</summary>
    public bool OnAnswer(JsonNode? response, OcppCallErrorException? error, out TimeSpan retryAfter)
    {
        var status = "Rejected";
        var interval = 0;
        if (error is null && response is JsonObject o)
        {
            status = o["status"]?.GetValueKind() == JsonValueKind.String ? o["status"]!.GetValue<string>() : "Rejected";
            if (OcppJson.TryInt(o["interval"], out var seconds)) interval = seconds;
        }
        if (interval > 0) device.SetInternal("OCPPCommCtrlr", "HeartbeatInterval", interval.ToString(CultureInfo.InvariantCulture));
        retryAfter = interval > 0 ? TimeSpan.FromSeconds(interval) : DefaultRetry;
        if (status == "Accepted")
        {
            _phase = Phase.Accepted;
            _required = false;
            Count++;
            Reason = "PowerUp";
            return true;
        }
        _phase = status == "Pending" ? Phase.Waiting : Phase.Rejected;
        return false;
    }

    /// <summary>The retry interval after Pending/Rejected passed: true when a BootNotification is due again.</summary>
    public bool Retry()
    {
        if (_phase is not (Phase.Waiting or Phase.Rejected)) return false;
        _phase = Phase.NotSent;
        return true;
    }

    private JsonObject Payload() => new()
    {
        ["reason"] = Reason,
        ["chargingStation"] = new JsonObject
        {
            ["model"] = options.Model,
            ["vendorName"] = options.VendorName,
            ["serialNumber"] = options.SerialNumber,
            ["firmwareVersion"] = options.FirmwareVersion,
        },
    };
}
