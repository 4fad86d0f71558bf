using System.Net;

namespace BmwWallbox.Doctor;

/// <summary>
/// Step 1: an embedded MQTT broker reachable from the network without <c>mqtt.users</c> lets anyone
/// there set the current or reboot the box.
/// </summary>
internal static class MqttAccessCheck
{
    public static IReadOnlyList<DoctorCheck> Run(DoctorInput input)
    {
        if (input.MqttEmbeddedBind is not { } bind) return []; // an external broker has its own access control
        var loopback = bind == "localhost" || (IPAddress.TryParse(bind, out var address) && IPAddress.IsLoopback(address));
        if (loopback)
            return [DoctorCheck.Ok(DoctorSteps.Config, "mqtt.access", $"the embedded MQTT broker listens on {bind} only (this machine)")];
        if (input.MqttUsers > 0)
            return [DoctorCheck.Ok(DoctorSteps.Config, "mqtt.access", $"the embedded MQTT broker on {bind} requires a login ({input.MqttUsers} user(s) in mqtt.users)")];
        return [DoctorCheck.Warn(DoctorSteps.Config, "mqtt.access",
            $"the embedded MQTT broker listens on {bind} without authentication: anyone on the network can set the current or reboot the wallbox",
            $"add mqtt.users to {input.ConfigPath} (a user with can_command: true for Home Assistant), or set mqtt.bind: 127.0.0.1")];
    }
}
