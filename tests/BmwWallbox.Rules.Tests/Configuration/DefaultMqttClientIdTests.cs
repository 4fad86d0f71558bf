using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Tests.Configuration;

/// <summary>mqtt.broker.client_id left out: one id per instance, so two instances on one broker do not knock each other off.</summary>
public sealed class DefaultMqttClientIdTests
{
    [Fact]
    public void The_id_differs_by_host_and_by_data_dir_and_stays_the_same_for_one_instance()
    {
        var id = DefaultMqttClientId.For("Home-Server.lan", "/var/lib/bmw-rules/a");

        Assert.Matches("^bmw-rules-home-serverlan-[0-9a-f]{8}$", id);
        Assert.Equal(id, DefaultMqttClientId.For("Home-Server.lan", "/var/lib/bmw-rules/a"));
        Assert.NotEqual(id, DefaultMqttClientId.For("Home-Server.lan", "/var/lib/bmw-rules/b"));
        Assert.NotEqual(id, DefaultMqttClientId.For("other", "/var/lib/bmw-rules/a"));
        Assert.Matches("^bmw-rules-[0-9a-f]{8}$", DefaultMqttClientId.For("ä.ö", "/x"));
    }

    [Fact]
    public void A_written_client_id_is_kept_and_the_embedded_broker_needs_none()
    {
        var dir = Directory.CreateTempSubdirectory("bmw-clientid-").FullName;
        try
        {
            var path = Path.Combine(dir, "config.yaml");
            ConfigResult Load(string mqtt) => ConfigLoader.Parse("ocpp:\n  accept_unknown: pending\nmqtt:\n" + mqtt, path);

            Assert.Equal("mine", Load("  broker: { host: broker.lan, client_id: mine }\n").Config!.Mqtt.Broker!.ClientId);
            Assert.Equal(DefaultMqttClientId.For(Environment.MachineName, Path.Combine(dir, "data")),
                Load("  broker: { host: broker.lan }\n").Config!.Mqtt.Broker!.ClientId);
            Assert.Null(Load("  broker: embedded\n").Config!.Mqtt.Broker);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
