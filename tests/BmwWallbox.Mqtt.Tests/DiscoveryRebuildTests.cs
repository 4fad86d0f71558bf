using BmwWallbox.Core;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>When a station's Home Assistant discovery config is built and published again (it is ~6 KB a station).</summary>
public sealed class DiscoveryRebuildTests : IDisposable
{
    private const string DeviceTopic = "homeassistant/device/bmw_rules_bmw_001/config";
    private readonly SettableWallboxStates _states = new();
    private readonly List<(string Topic, string Payload)> _published = [];
    private readonly StatePublisher _publisher;

    public DiscoveryRebuildTests()
    {
        _states.Set(BridgeHarness.ChargingState());
        _publisher = new StatePublisher(new MqttOptions { BaseTopic = BridgeHarness.Base }, new CurrentRange(6, 32), _states,
            new FakeControllers(new RecordingController(BridgeHarness.StationId, BridgeHarness.Station)),
            (topic, payload) => _published.Add((topic, payload)), NullLogger.Instance);
    }

    public void Dispose() => _publisher.Dispose();

    private List<string> Configs() => [.. _published.Where(p => p.Topic == DeviceTopic).Select(p => p.Payload)];

    private void Boot(Func<BootInfo, BootInfo> change)
    {
        var state = _states.Get(BridgeHarness.StationId)!;
        _states.Set(state with { Boot = change(state.Boot!) }, WallboxEventKind.Booted);
        _publisher.Refresh(BridgeHarness.StationId);
    }

    [Fact]
    public void A_reboot_of_the_same_box_builds_no_new_config_and_new_firmware_does()
    {
        _publisher.Refresh(BridgeHarness.StationId);
        Assert.Single(Configs());

        Boot(b => b with { Reason = "Watchdog", At = b.At.AddHours(1) });
        Assert.Single(Configs());

        Boot(b => b with { FirmwareVersion = "1.3.0" });
        Assert.Equal(2, Configs().Count);
        Assert.Contains("1.3.0", Configs()[^1]);
    }
}
