using System.Diagnostics.CodeAnalysis;
using BmwWallbox.Charging;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;
using BmwWallbox.Dashboard;
using BmwWallbox.History;
using BmwWallbox.Mqtt;
using BmwWallbox.Ocpp;
using BmwWallbox.Planning;
using BmwWallbox.Rules.Engine;
using BmwWallbox.Yaml;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Configuration;

/// <summary>The outcome of reading config.yaml: the config (when usable) and every problem found.</summary>
internal sealed record ConfigResult(AppConfig? Config, IReadOnlyList<Problem> Problems, string ConfigPath)
{
    public bool Ok => Config is not null && Problems.All(p => p.Severity != Severity.Error);
    public string ConfigDirectory => Path.GetDirectoryName(Path.GetFullPath(ConfigPath)) ?? ".";

    /// <summary>A path from config.yaml, made absolute relative to the config file's folder.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, ConfigDirectory);

    /// <summary><c>ocpp.tls</c> with its certificate and key paths resolved (<see cref="Resolve"/>).</summary>
    public TlsOptions TlsFiles => Config!.Ocpp.Tls with { Cert = Resolve(Config.Ocpp.Tls.Cert), Key = Resolve(Config.Ocpp.Tls.Key) };
}

/// <summary>Reads config.yaml into <see cref="AppConfig"/>, reporting problems with file:line:column and hints.</summary>
internal static class ConfigLoader
{
    public static ConfigResult Load(string path)
    {
        if (!File.Exists(path))
            return new ConfigResult(null, [new Problem(path, 0, 0, "config file not found", "pass --config PATH, or run from the folder that holds config.yaml")], path);
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigResult(null, [new Problem(path, 0, 0, $"cannot read the config file: {e.Message}")], path);
        }
        return Parse(text, path);
    }

    /// <summary>What the binder uses of each record (by reflection): kept under trimming (Native AOT), see <see cref="YamlBinder"/>.</summary>
    private const DynamicallyAccessedMemberTypes Bound = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    // Every record config.yaml binds (ConfigBindingRootsTests checks the list against AppConfig's properties).
    [DynamicDependency(Bound, typeof(AppConfig))]
    [DynamicDependency(Bound, typeof(LoggingOptions))]
    [DynamicDependency(Bound, typeof(OcppOptions))]
    [DynamicDependency(Bound, typeof(TlsOptions))]
    [DynamicDependency(Bound, typeof(StationOptions))]
    [DynamicDependency(Bound, typeof(StationGroupOptions))]
    [DynamicDependency(Bound, typeof(WallboxOptions))]
    [DynamicDependency(Bound, typeof(MqttOptions))]
    [DynamicDependency(Bound, typeof(MqttUser))]
    [DynamicDependency(Bound, typeof(ExternalBrokerOptions))]
    [DynamicDependency(Bound, typeof(SignalOptions))]
    [DynamicDependency(Bound, typeof(ModeOptions))]
    [DynamicDependency(Bound, typeof(StationModeOptions))]
    [DynamicDependency(Bound, typeof(RulesOptions))]
    [DynamicDependency(Bound, typeof(ScriptLimits))]
    [DynamicDependency(Bound, typeof(PlanOptions))]
    [DynamicDependency(Bound, typeof(PlanTargetOptions))]
    [DynamicDependency(Bound, typeof(HttpOptions))]
    [DynamicDependency(Bound, typeof(HistoryOptions))]
    public static ConfigResult Parse(string yaml, string file)
    {
        var source = YamlFile.Parse(file, yaml);
        if (source.SyntaxError is { } syntax)
            return new ConfigResult(null, [syntax.HasPlace
                ? new Problem(file, syntax.Line, syntax.Column, $"not valid YAML: {syntax.Reason}", "check indentation and quoting around this line; indent with spaces, not tabs")
                : new Problem(file, 0, 0, "not valid YAML", "look for an unclosed '[' or '{'")], file);
        var binder = new YamlBinder(source) { Special = BindBroker };
        var config = binder.Bind<AppConfig>(source.Root, "");
        var fileProblems = new List<Problem>();
        config = PasswordFileStations.Merge(config, source, file, fileProblems);
        config = DefaultMqttClientId.Apply(config, file);
        ConfigChecks.Run(config, source);
        return new ConfigResult(config, [.. source.Problems, .. fileProblems], file);

        bool BindBroker(YamlBinder binder, Type type, string key, YamlNode value, object target)
        {
            if (type != typeof(MqttOptions) || key != "broker") return false;
            var mqtt = (MqttOptions)target;
            if (value is YamlScalarNode { Value: "embedded" })
                return true;
            if (value is YamlMappingNode)
            {
                var external = (ExternalBrokerOptions)binder.BindObject(typeof(ExternalBrokerOptions), value, "mqtt.broker", new ExternalBrokerOptions());
                typeof(MqttOptions).GetProperty(nameof(MqttOptions.Broker))!.SetValue(mqtt, external);
                return true;
            }
            source.Error(value, "'mqtt.broker' must be 'embedded' or a mapping { host, port, username, password, tls, ca_file, client_id }", "use 'embedded' for the built-in broker");
            return true;
        }
    }
}
