using MQTTnet;

namespace BmwWallbox.Mqtt.Tests;

public class ClientOptionsTests
{
    [Fact]
    public void Last_will_is_a_retained_offline_on_the_status_topic()
    {
        var options = ClientOptionsFactory.Create(new MqttOptions(), "bmw-wallbox/status");
        Assert.Equal("bmw-wallbox/status", options.WillTopic);
        Assert.Equal("offline", System.Text.Encoding.UTF8.GetString(options.WillPayload));
        Assert.True(options.WillRetain);
        Assert.True(options.CleanSession);
    }

    [Fact]
    public void External_broker_settings_are_used()
    {
        var options = ClientOptionsFactory.Create(new MqttOptions
        {
            Broker = new ExternalBrokerOptions { Host = "broker.lan", Port = 8883, Username = "u", Password = "p", Tls = true, ClientId = "me" },
        }, "x/status");
        Assert.Equal("me", options.ClientId);
        Assert.Equal("u", options.Credentials.GetUserName(options));
        var tcp = Assert.IsType<MqttClientTcpOptions>(options.ChannelOptions);
        Assert.True(tcp.TlsOptions.UseTls);
        Assert.Equal("broker.lan", tcp.TlsOptions.TargetHost);
        Assert.Contains("8883", tcp.RemoteEndpoint.ToString());
    }

    [Fact]
    public void A_missing_ca_file_is_a_clear_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ClientOptionsFactory.Create(new MqttOptions
        {
            Broker = new ExternalBrokerOptions { Tls = true, CaFile = "/nonexistent/ca.pem" },
        }, "x/status"));
        Assert.Contains("ca_file", error.Message);
    }
}
