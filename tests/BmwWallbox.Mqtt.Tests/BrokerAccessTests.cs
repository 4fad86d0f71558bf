using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using MQTTnet;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>
/// mqtt.users on the embedded broker, and what no other client may do (found by an anonymous
/// client on the LAN: set the current, fake a retained offline, knock the bridge off).
/// </summary>
public class BrokerAccessTests
{
    private static readonly (string, string) HomeAssistant = ("homeassistant", "ha-secret");
    private static readonly (string, string) Viewer = ("viewer", "viewer-secret");

    private static MqttOptions Embedded(int port, params MqttUser[] users) => new()
    {
        Port = port,
        Bind = "127.0.0.1",
        BaseTopic = Base,
        Users = users,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    private static MqttOptions WithUsers(int port) => Embedded(port,
        new MqttUser { Username = "homeassistant", Password = "ha-secret", CanCommand = true },
        new MqttUser { Username = "viewer", Password = "viewer-secret" });

    private static async Task<BridgeHarness> StartedAsync(MqttOptions options)
    {
        var harness = new BridgeHarness(options);
        await harness.StartAsync();
        await harness.Logs.NextMatchAsync(e => e.Message.StartsWith("MQTT connected"));
        return harness;
    }

    [Fact]
    public async Task With_users_a_client_needs_a_valid_login()
    {
        var port = FreePort.Next();
        await using var harness = await StartedAsync(WithUsers(port));

        var anonymous = await Assert.ThrowsAsync<ConnectionRefusedException>(() => TestMqttClient.ConnectAsync(port, login: null, clientId: "anonymous"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, anonymous.Code);
        var wrong = await Assert.ThrowsAsync<ConnectionRefusedException>(() => TestMqttClient.ConnectAsync(port, ("homeassistant", "guess"), null));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, wrong.Code);

        await using var viewer = await TestMqttClient.ConnectAsync(port, Viewer, null, $"{Base}/#");
        Assert.True((await viewer.WaitForAsync($"{Base}/status", "online")).Retain);
        Assert.True(harness.Bridge.IsConnected);
    }

    [Fact]
    public async Task Only_users_with_can_command_send_commands()
    {
        var port = FreePort.Next();
        await using var harness = await StartedAsync(WithUsers(port));
        await using var viewer = await TestMqttClient.ConnectAsync(port, Viewer, null);
        await using var ha = await TestMqttClient.ConnectAsync(port, HomeAssistant, null, Topic("result"));

        var refused = await viewer.PublishAsync($"{Base}/{Station}/set/reboot", "PRESS");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        await harness.Logs.NextMatchAsync(e => e.Message.Contains("client") && e.Message.Contains("(user viewer) may not send commands"));

        await ha.PublishAsync($"{Base}/{Station}/set/current", "12");
        Assert.Equal("""{"action":"current","ok":true,"reason":"claim done"}""", (await ha.WaitForAsync(Topic("result"))).Payload);
        Assert.Equal([new ControllerCall("claim", "mqtt", new Core.ClaimRequest("mqtt", 12, Core.ClaimKind.Manual, Reason: "MQTT set/current"))], harness.Controller.Calls);
    }

    [Fact]
    public async Task Only_users_with_can_command_approve_or_reject_stations_and_a_retained_decision_is_never_taken()
    {
        var port = FreePort.Next();
        await using var harness = await StartedAsync(WithUsers(port));
        var decided = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = harness.Bridge.SubscribeCommands($"{Base}/stations/approve", (topic, payload) => decided.TrySetResult((topic, payload)));
        await using var viewer = await TestMqttClient.ConnectAsync(port, Viewer, null);
        await using var ha = await TestMqttClient.ConnectAsync(port, HomeAssistant, null);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await viewer.PublishAsync($"{Base}/stations/approve", "DE*BMW*E1")).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await viewer.PublishAsync($"{Base}/stations/reject", "DE*BMW*E1")).ReasonCode);
        await ha.PublishAsync($"{Base}/stations/approve", "DE*BMW*OLD", retain: true);
        await harness.Logs.NextMatchAsync(e => e.Message.Contains("Ignored retained MQTT command") && e.Message.Contains("stations/approve"));
        await ha.PublishAsync($"{Base}/stations/approve", "", retain: true); // clears it
        await ha.PublishAsync($"{Base}/stations/approve", "DE*BMW*E1");
        Assert.Equal(($"{Base}/stations/approve", "DE*BMW*E1"), await decided.Task.WaitAsync(TestTimeouts.Guard));
    }

    [Fact]
    public async Task Nobody_but_the_bridge_publishes_state_even_without_users()
    {
        var port = FreePort.Next();
        await using var harness = await StartedAsync(Embedded(port));
        await using (var first = await TestMqttClient.ConnectAsync(port, Topic("transaction_id")))
            await first.WaitForAsync(Topic("transaction_id"), "tx-1");

        await using var intruder = await TestMqttClient.ConnectAsync(port, login: null, clientId: "intruder");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await intruder.PublishAsync($"{Base}/status", "offline", retain: true)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await intruder.PublishAsync(Topic("limit"), "32", retain: true)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized,
            (await intruder.PublishAsync("homeassistant/device/bmw_rules_bmw_001/config", "", retain: true)).ReasonCode);
        // Other topics stay open to every client (signals, other hubs).
        Assert.NotEqual(MqttClientPublishReasonCode.NotAuthorized, (await intruder.PublishAsync("home/solar/power", "1200")).ReasonCode);

        await using var hub = await TestMqttClient.ConnectAsync(port, $"{Base}/status", Topic("limit"), "homeassistant/device/bmw_rules_bmw_001/config");
        Assert.Equal("online", (await hub.WaitForAsync($"{Base}/status")).Payload);
        Assert.Equal("32", (await hub.WaitForAsync(Topic("limit"))).Payload); // the bridge's own value (max 32, default)
        Assert.NotEqual("", (await hub.WaitForAsync("homeassistant/device/bmw_rules_bmw_001/config")).Payload);
        Assert.Single(harness.Logs.Entries, e => e.Message.Contains("intruder") && e.Message.Contains("may not publish to state topics"));
    }

    [Fact]
    public async Task A_client_using_the_bridge_client_id_is_refused_and_the_bridge_stays_connected()
    {
        var port = FreePort.Next();
        await using var harness = await StartedAsync(Embedded(port));

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var refused = await Assert.ThrowsAsync<ConnectionRefusedException>(() => TestMqttClient.ConnectAsync(port, login: null, clientId: "bmw-rules"));
            Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, refused.Code);
        }

        // Had the takeover worked, the bridge would have been disconnected (and would reconnect).
        await using var hub = await TestMqttClient.ConnectAsync(port, Topic("result"));
        await hub.PublishAsync($"{Base}/{Station}/set/pause", "PRESS");
        await hub.WaitForAsync(Topic("result"));
        Assert.True(harness.Bridge.IsConnected);
        Assert.DoesNotContain(harness.Logs.Entries, e => e.Message.Contains("connection to") && e.Message.Contains("lost"));
        Assert.Equal(3, harness.Logs.Entries.Count(e => e.Message.Contains("client id 'bmw-rules' is reserved for bmw-rules itself")));
    }

    [Theory]
    [InlineData("0.0.0.0", false, true)]
    [InlineData("::", false, true)]
    [InlineData("192.168.1.10", false, true)]
    [InlineData("0.0.0.0", true, false)]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("::1", false, false)]
    public void Listening_beyond_loopback_without_users_is_warned_about(string bind, bool users, bool warned)
        => Assert.Equal(warned, EmbeddedMqttBroker.IsExposedWithoutLogin(System.Net.IPAddress.Parse(bind), users));
}
