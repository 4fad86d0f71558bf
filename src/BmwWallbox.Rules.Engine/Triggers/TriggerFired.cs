using System.Globalization;
using System.Text;
using System.Text.Json;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>What fired a run, with its values (numbers stay numbers for scripts).</summary>
internal sealed record TriggerFired(string Kind, string Description, IReadOnlyDictionary<string, object?> Values)
{
    public TraceTrigger ToTrace() => new(Kind, Description,
        Values.ToDictionary(kv => kv.Key, kv => kv.Value is null ? null : TraceText.Quote(Convert.ToString(kv.Value, CultureInfo.InvariantCulture)!)));

    /// <summary>The <c>trigger</c> object scripts see: { kind, description, ...values }.</summary>
    public string ToJson()
    {
        var all = new Dictionary<string, object?>(Values) { ["kind"] = Kind, ["description"] = Description };
        // Written by hand, not by JsonSerializer over object values: that needs reflection (no Native AOT).
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var (key, value) in all)
            {
                json.WritePropertyName(key);
                switch (value)
                {
                    case null: json.WriteNullValue(); break;
                    case string text: json.WriteStringValue(text); break;
                    case bool flag: json.WriteBooleanValue(flag); break;
                    case double number: json.WriteNumberValue(number); break;
                    case int number: json.WriteNumberValue(number); break;
                    case long number: json.WriteNumberValue(number); break;
                    default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public static TriggerFired Of(string kind, string description, params (string Key, object? Value)[] values) =>
        new(kind, description, values.ToDictionary(v => v.Key, v => v.Value));
}
