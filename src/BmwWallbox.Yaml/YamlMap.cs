using System.Globalization;
using BmwWallbox.Core;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Yaml;

/// <summary>
/// Typed reads from a YAML mapping that report every mistake (wrong type, missing key, unknown key with the
/// nearest valid key as a hint) into the <see cref="YamlFile"/> instead of throwing.
/// </summary>
public sealed class YamlMap(YamlMappingNode node, YamlFile file)
{
    public YamlMappingNode Node { get; } = node;

    public IEnumerable<string> Keys => Node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public bool Has(string key) => Get(key) is not null;

    public YamlNode? Get(string key) =>
        Node.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == key).Value;

    public string? Text(string key, bool required = false, string expected = "text")
    {
        var value = Get(key);
        if (value is null)
        {
            if (required) file.Error(Node, $"missing '{key}:'", $"expected {expected}");
            return null;
        }
        if (value is YamlScalarNode { Value: { } text } && !(required && text.Length == 0)) return text;
        file.Error(value, $"'{key}:' must be {expected}");
        return null;
    }

    public double? Number(string key)
    {
        if (Text(key, expected: "a number") is not { } text) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)) return n;
        file.Error(Get(key)!, $"'{key}:' must be a number, not '{text}'");
        return null;
    }

    public bool? Bool(string key)
    {
        if (Text(key, expected: "true or false") is not { } text) return null;
        if (bool.TryParse(text, out var b)) return b;
        file.Error(Get(key)!, $"'{key}:' must be true or false, not '{text}'");
        return null;
    }

    public TimeSpan? Duration(string key)
    {
        if (Text(key, expected: Durations.Expected) is not { } text) return null;
        if (Durations.TryParse(text, out var d)) return d;
        file.Error(Get(key)!, $"'{key}:' has an invalid duration '{text}'", $"expected {Durations.Expected}");
        return null;
    }

    /// <summary>Reports every key not in <paramref name="allowed"/>; <paramref name="hint"/> may know better than the nearest spelling.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> allowed, string where, Func<string, string?>? hint = null)
    {
        foreach (var key in Node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (allowed.Contains(name)) continue;
            file.Error(key, $"unknown key '{name}' in {where}; expected one of: {string.Join(", ", allowed)}",
                hint?.Invoke(name) ?? KeyHints.DidYouMean(name, allowed));
        }
    }
}
