using System.Text.Json;
using BmwWallbox.Core;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>
/// The README's topic table names every topic a station's state goes to and every topic Home Assistant is told to
/// read or command: a topic added to the bridge and not to the table fails here.
/// </summary>
public sealed class TopicReferenceTests
{
    private static readonly string Readme = File.ReadAllText(RepoPaths.Of("README.md"));

    [Fact]
    public void Every_station_state_topic_is_in_the_readme()
    {
        Assert.DoesNotContain(StationTopics.Keys.Select(key => $"<base>/<name>/{key}"), t => !Documented(t));
    }

    [Fact]
    public void Every_topic_the_home_assistant_discovery_names_is_in_the_readme()
    {
        var options = new MqttOptions { BaseTopic = "bmw-wallbox" };
        var (_, payload) = HomeAssistantDiscovery.Config(options, "BMW-001", "garage", boot: null, new CurrentRange(6, 16), modes: true);

        var topics = Strings(HomeAssistantView.Device(payload))
            .Where(s => s.StartsWith("bmw-wallbox/", StringComparison.Ordinal))
            .Select(s => s.Replace("bmw-wallbox/garage/", "<base>/<name>/").Replace("bmw-wallbox/", "<base>/"))
            .Distinct().ToList();

        Assert.Contains("<base>/<name>/set/current", topics); // the walk found the command topics
        Assert.DoesNotContain(topics, t => !Documented(t));
    }

    private static bool Documented(string topic) => Readme.Contains($"| `{topic}`", StringComparison.Ordinal);

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
