using System.Reflection;
using System.Text.RegularExpressions;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Yaml;

namespace BmwWallbox.Rules.Tests.Configuration;

/// <summary>
/// Where a user looks a key up names every key config.yaml can hold: the README's configuration reference (its
/// section's row) and the shipped config.yaml (set or commented out). A key added to an option record only fails here.
/// </summary>
public sealed class ConfigReferenceTests
{
    [Fact]
    public void Every_config_key_is_in_its_sections_row_of_the_reference()
    {
        var rows = ReferenceRows();
        var missing = new List<string>();
        foreach (var section in Keys(typeof(AppConfig)))
        {
            if (!rows.TryGetValue(section.Name, out var row)) { missing.Add($"{section.Name} (no row)"); continue; }
            foreach (var key in NestedKeys(section.Type, []))
                if (!Regex.IsMatch(row, $@"(?<![\w]){Regex.Escape(key)}(?![\w])")) missing.Add($"{section.Name}: {key}");
        }
        Assert.True(missing.Count == 0, "not in the README's configuration reference:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_config_key_is_in_the_shipped_config_yaml()
    {
        var shipped = File.ReadAllText(RepoPaths.Of("config.yaml"));
        var missing = Keys(typeof(AppConfig)).SelectMany(s => NestedKeys(s.Type, []).Prepend(s.Name)).Distinct()
            .Where(key => !Regex.IsMatch(shipped, $@"(?<![\w]){Regex.Escape(key)}:")).ToList();
        Assert.True(missing.Count == 0, "not in config.yaml (set or commented out):\n" + string.Join("\n", missing));
    }

    /// <summary>Section name → the row's text, from the README's "Configuration reference" table.</summary>
    private static Dictionary<string, string> ReferenceRows()
    {
        var table = ReadmeText.Section("## Configuration reference");
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in table.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var section = line.Split('|')[1].Trim().Trim('`').TrimEnd(':');
            rows[section] = rows.GetValueOrDefault(section, "") + line; // a section may take two rows
        }
        return rows;
    }

    private static IEnumerable<(string Name, Type Type)> Keys(Type record) =>
        record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => (YamlBinder.SnakeCase(p.Name), p.PropertyType));

    /// <summary>The keys below a section: a record's keys and theirs, through lists and dictionaries.</summary>
    private static IEnumerable<string> NestedKeys(Type type, HashSet<Type> seen)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType) return NestedKeys(type.GetGenericArguments()[^1], seen);
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(TimeSpan) || type == typeof(decimal) || !seen.Add(type)) return [];
        return Keys(type).SelectMany(k => NestedKeys(k.Type, seen).Prepend(k.Name)).ToList();
    }
}
