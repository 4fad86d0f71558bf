using MQTTnet;

namespace BmwWallbox.TestKit.Mqtt;

/// <summary>The broker refused an MQTT 5 connection, with this reason code.</summary>
public sealed class ConnectionRefusedException(MqttClientConnectResultCode code) : InvalidOperationException($"broker refused the connection: {code}")
{
    public MqttClientConnectResultCode Code { get; } = code;
}
