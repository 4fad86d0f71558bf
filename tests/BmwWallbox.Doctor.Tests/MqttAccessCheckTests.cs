namespace BmwWallbox.Doctor.Tests;

public sealed class MqttAccessCheckTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.10")]
    public void An_embedded_broker_open_to_the_network_without_users_is_a_warning(string bind)
    {
        var check = Assert.Single(MqttAccessCheck.Run(new DoctorInput { MqttEmbeddedBind = bind }));

        Assert.Equal((CheckStatus.Warn, "mqtt.access"), (check.Status, check.Name));
        Assert.Contains($"listens on {bind} without authentication", check.Message);
        Assert.Contains("mqtt.users", check.Fix);
    }

    [Theory]
    [InlineData("127.0.0.1", 0, "only (this machine)")]
    [InlineData("::1", 0, "only (this machine)")]
    [InlineData("0.0.0.0", 2, "requires a login (2 user(s) in mqtt.users)")]
    public void Loopback_or_a_login_is_ok(string bind, int users, string message)
    {
        var check = Assert.Single(MqttAccessCheck.Run(new DoctorInput { MqttEmbeddedBind = bind, MqttUsers = users }));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains(message, check.Message);
    }

    [Fact]
    public void An_external_broker_is_not_judged()
        => Assert.Empty(MqttAccessCheck.Run(new DoctorInput { MqttEmbeddedBind = null }));
}
