using MQTTnet;

namespace BmwWallbox.Mqtt;

/// <summary>
/// The broker answered our CONNECT and refused it: it is reachable, so the fix is in the config (the
/// credentials, the client id), which the message names.
/// </summary>
internal sealed class BrokerRefusedException(MqttClientConnectResultCode code, string? reason)
    : Exception($"refused the connection ({code}{(string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason)}){Hint(code)}")
{
    private static string Hint(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized
            => ": check mqtt.broker.username and password (and the user's rights on the broker)",
        MqttClientConnectResultCode.ClientIdentifierNotValid => ": check mqtt.broker.client_id",
        _ => "",
    };
}
