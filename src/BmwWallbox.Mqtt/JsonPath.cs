using System.Globalization;
using System.Text.Json;

namespace BmwWallbox.Mqtt;

/// <summary>
/// The simple JSON paths signal configs use: <c>$.ENERGY.Power</c>, <c>$.a.b[0]</c>,
/// <c>$['key with space']</c>; the leading <c>$</c> may be left out (<c>ENERGY.Power</c>).
/// </summary>
internal sealed class JsonPath
{
    private readonly IReadOnlyList<object> _steps; // string = property, int = array index

    private JsonPath(string text, IReadOnlyList<object> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>Throws <see cref="FormatException"/> with the reason for a path it cannot read.</summary>
    public static JsonPath Parse(string text)
    {
        var path = text.Trim();
        var i = 0;
        if (path.StartsWith('$')) i = 1;
        else if (!path.StartsWith('[')) path = "." + path; // "ENERGY.Power" means "$.ENERGY.Power"
        var steps = new List<object>();
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                var name = path[(i + 1)..end];
                if (name.Length == 0) throw Bad(text, "empty property name");
                steps.Add(name);
                i = end;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0) throw Bad(text, "missing ']'");
                var inner = path[(i + 1)..close].Trim();
                if (inner.Length >= 2 && (inner[0] is '\'' or '"') && inner[^1] == inner[0])
                    steps.Add(inner[1..^1]);
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    steps.Add(index);
                else
                    throw Bad(text, $"'[{inner}]' is neither an index nor a quoted name");
                i = close + 1;
            }
            else
            {
                throw Bad(text, $"unexpected '{path[i]}' at position {i}");
            }
        }
        if (steps.Count == 0) throw Bad(text, "it selects nothing");
        return new JsonPath(text, steps);
    }

    public bool TryFind(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var step in _steps)
        {
            switch (step)
            {
                case string name when value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var child):
                    value = child;
                    break;
                case int index when value.ValueKind == JsonValueKind.Array && index < value.GetArrayLength():
                    value = value[index];
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    public override string ToString() => Text;

    private static FormatException Bad(string text, string reason) => new($"Invalid JSON path '{text}': {reason}");
}
