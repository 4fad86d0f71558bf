using BmwWallbox.Charging;
using BmwWallbox.Dashboard;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.History;
using BmwWallbox.Mqtt;
using BmwWallbox.Ocpp;
using BmwWallbox.Planning;
using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Rules.Configuration;

/// <summary>config.yaml as a whole. Every key is documented in the shipped config.yaml.</summary>
internal sealed record AppConfig
{
    public OcppOptions Ocpp { get; init; } = new();
    public WallboxOptions Wallbox { get; init; } = new();
    public MqttOptions Mqtt { get; init; } = new();
    public IReadOnlyDictionary<string, SignalOptions> Signals { get; init; } = new Dictionary<string, SignalOptions>();
    /// <summary>The charge modes (solar, now, …) and how solar follows the surplus.</summary>
    public ModeOptions Charging { get; init; } = new();
    public RulesOptions Rules { get; init; } = new();
    /// <summary>The planner behind the plan mode: forecast topics and standing targets.</summary>
    public PlanOptions Plan { get; init; } = new();
    /// <summary>IANA time zone for cron/at/time windows; empty = the machine's local zone.</summary>
    public string TimeZone { get; init; } = "";
    /// <summary>Folder for generated certificates and persisted manual claims (relative to config.yaml).</summary>
    public string DataDir { get; init; } = "data";
    public LoggingOptions Logging { get; init; } = new();
    /// <summary>The web dashboard's listener.</summary>
    public HttpOptions Http { get; init; } = new();

    /// <summary>The charging history (data_dir/history.db): on by default.</summary>
    public HistoryOptions History { get; init; } = new();
}

/// <summary>The <c>logging:</c> section.</summary>
internal sealed record LoggingOptions
{
    /// <summary>Verbose, Debug, Information, Warning, Error or Fatal.</summary>
    public string Level { get; init; } = "Information";
    /// <summary>Per-source levels, e.g. <c>BmwWallbox.Ocpp: Debug</c> to see every OCPP frame.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();
}
