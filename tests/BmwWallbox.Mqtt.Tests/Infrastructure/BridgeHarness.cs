using BmwWallbox.Core;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Mqtt.Tests.Infrastructure;

/// <summary>A bridge wired to one station ("BMW-001", named "garage") with in-test fakes.</summary>
internal sealed class BridgeHarness : IAsyncDisposable
{
    public const string StationId = "BMW-001";
    public const string Station = "garage";
    public const string Base = "bmw-wallbox";

    public BridgeHarness(MqttOptions options, IReadOnlyDictionary<string, SignalOptions>? signals = null, TimeProvider? time = null, CurrentRange? currents = null)
    {
        Options = options;
        States.Set(ChargingState());
        Bridge = new MqttBridge(options, signals ?? new Dictionary<string, SignalOptions>(), States, new FakeControllers(Controller),
            currents ?? new CurrentRange(6, 32), time ?? TimeProvider.System, Logs);
    }

    public MqttOptions Options { get; }
    public SettableWallboxStates States { get; } = new();
    public RecordingController Controller { get; } = new(StationId, Station);
    /// <summary>The bridge's logs; an error it logs fails the test unless declared (<see cref="TestLogs.AllowErrors"/>).</summary>
    public TestLogs Logs { get; } = new();
    public MqttBridge Bridge { get; }

    /// <summary>Options for an external broker on loopback, with a back-off short enough for tests.</summary>
    public static MqttOptions External(int port, bool discovery = true) => new()
    {
        Broker = new ExternalBrokerOptions { Host = "127.0.0.1", Port = port, ClientId = "bmw-rules-" + Guid.NewGuid().ToString("N")[..8] },
        BaseTopic = Base,
        HomeassistantDiscovery = discovery,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public static string Topic(string key) => $"{Base}/{Station}/{key}";

    public static WallboxState ChargingState() => new()
    {
        StationId = StationId,
        Name = Station,
        Connected = true,
        Status = ConnectorStatus.Occupied,
        Transaction = new TransactionInfo("tx-1", DateTimeOffset.UtcNow, Core.ChargingState.Charging, null, 3),
        PowerW = 7360.44,
        EnergyWh = 12345,
        CurrentA = 32,
        VoltageV = 230,
        Boot = new BootInfo("BMW", "Wallbox Plus", "SN123", "1.2.3", "PowerUp", DateTimeOffset.UtcNow),
    };

    public Task StartAsync() => Bridge.StartAsync().WaitAsync(TestTimeouts.Guard);

    public async ValueTask DisposeAsync()
    {
        await Bridge.DisposeAsync();
        Logs.AssertNoUnexpectedErrors();
    }
}
