using System.Text.Json;
using BmwWallbox.Core;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>
/// The README names every topic a station's state goes to, every topic Home Assistant is told to read or command
/// (topic table) and every entity it is given (entity table): one added to the bridge and not to the README fails here.
/// </summary>
public sealed class MqttReferenceTests
{
    [Fact]
    public void Every_station_state_topic_is_in_the_readme()
    {
        Assert.DoesNotContain(StationTopics.Keys.Select(key => $"<base>/<name>/{key}"), t => !Documented(t));
    }

    [Fact]
    public void Every_topic_the_home_assistant_discovery_names_is_in_the_readme()
    {
        var topics = Strings(DiscoveryConfigs())
            .Where(s => s.StartsWith("bmw-wallbox/", StringComparison.Ordinal))
            .Select(s => s.Replace("bmw-wallbox/garage/", "<base>/<name>/").Replace("bmw-wallbox/", "<base>/"))
            .Distinct().ToList();

        Assert.Contains("<base>/<name>/set/current", topics); // the walk found the command topics
        Assert.Contains("<base>/<name>/session/last", topics); // and the last session's
        Assert.DoesNotContain(topics, t => !Documented(t));
    }

    [Fact]
    public void Every_home_assistant_entity_is_in_the_readme_s_entity_table()
    {
        var entities = ReadmeText.All[ReadmeText.All.IndexOf("The device has these entities:", StringComparison.Ordinal)..];
        var documented = entities[..entities.IndexOf("\n\n", entities.IndexOf("| entity |", StringComparison.Ordinal), StringComparison.Ordinal)]
            .Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).SelectMany(l => l.Split('|')[1].Split(',')).Select(n => n.Trim()).ToHashSet();

        var names = DiscoveryConfigs().SelectMany(Components).Select(c => c.GetProperty("name").GetString()!).ToList();

        Assert.Contains("Current limit", names);
        Assert.DoesNotContain(names, n => !documented.Contains(n));
    }

    /// <summary>What Home Assistant is told about a station with every part on: the device (with charge modes) and the last session's sensors.</summary>
    private static JsonElement[] DiscoveryConfigs()
    {
        var options = new MqttOptions { BaseTopic = "bmw-wallbox" };
        var (_, device) = HomeAssistantDiscovery.Config(options, "BMW-001", "garage", boot: null, new CurrentRange(6, 16), modes: true);
        return [HomeAssistantView.Device(device), .. SessionDiscovery.Configs(options, "BMW-001", "garage", "EUR").Select(c => JsonDocument.Parse(c.Value).RootElement)];
    }

    /// <summary>A device config's components, or a single entity's config.</summary>
    private static IEnumerable<JsonElement> Components(JsonElement config) =>
        config.TryGetProperty("components", out var components) ? components.EnumerateObject().Select(c => c.Value) : [config];

    private static bool Documented(string topic) => ReadmeText.All.Contains($"| `{topic}`", StringComparison.Ordinal);

    private static IEnumerable<string> Strings(IEnumerable<JsonElement> configs) => configs.SelectMany(Strings);

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
