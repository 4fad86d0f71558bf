using BmwWallbox.Core;
using BmwWallbox.Mqtt;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Configuration;

/// <summary>The outcome of reading config.yaml: the config (when usable) and every problem found.</summary>
internal sealed record ConfigResult(AppConfig? Config, IReadOnlyList<Problem> Problems, string ConfigPath)
{
    public bool Ok => Config is not null && Problems.All(p => p.Severity != Severity.Error);
    public string ConfigDirectory => Path.GetDirectoryName(Path.GetFullPath(ConfigPath)) ?? ".";

    /// <summary>A path from config.yaml, made absolute relative to the config file's folder.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, ConfigDirectory);
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

    public static ConfigResult Parse(string yaml, string file)
    {
        var problems = new List<Problem>();
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            var (line, column) = YamlErrorPosition.Correct(yaml, (int)e.Start.Line, (int)e.Start.Column, message);
            problems.Add(new Problem(file, line, column, $"not valid YAML: {message}", "check indentation and quoting around this line; indent with spaces, not tabs"));
            return new ConfigResult(null, problems, file);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some unterminated flow collections.
            problems.Add(new Problem(file, 0, 0, "not valid YAML", "look for an unclosed '[' or '{'"));
            return new ConfigResult(null, problems, file);
        }
        var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        var binder = new YamlBinder(file, problems) { Special = BindBroker };
        var config = binder.Bind<AppConfig>(root, "");
        ConfigChecks.Run(config, root, file, problems);
        return new ConfigResult(config, problems, file);

        static bool BindBroker(YamlBinder binder, Type type, string key, YamlNode value, object target)
        {
            if (type != typeof(MqttOptions) || key != "broker") return false;
            var mqtt = (MqttOptions)target;
            if (value is YamlScalarNode { Value: "embedded" })
                return true;
            if (value is YamlMappingNode)
            {
                var external = (ExternalBrokerOptions)binder.BindObject(typeof(ExternalBrokerOptions), value, "mqtt.broker", new ExternalBrokerOptions());
                typeof(MqttOptions).GetProperty(nameof(MqttOptions.External))!.SetValue(mqtt, external);
                return true;
            }
            binder.Error(value, "'mqtt.broker' must be 'embedded' or a mapping { host, port, username, password, tls, ca_file, client_id }", "use 'embedded' for the built-in broker");
            return true;
        }
    }

    /// <summary>The node at a dotted path such as "ocpp.stations[0].password", for pointing at problems.</summary>
    internal static YamlNode? Locate(YamlNode? root, string path)
    {
        var node = root;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            var bracket = part.IndexOf('[');
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = int.Parse(part[(bracket + 1)..^1]);
            }
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(name), out node)) return null;
            if (index is { } i)
            {
                if (node is not YamlSequenceNode seq || i >= seq.Children.Count) return null;
                node = seq.Children[i];
            }
        }
        return node;
    }
}
