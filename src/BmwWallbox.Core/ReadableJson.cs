using System.Text.Encodings.Web;
using System.Text.Json;

namespace BmwWallbox.Core;

/// <summary>
/// JSON that people read (MQTT payloads in mosquitto_sub or MQTT Explorer, summary.json, doctor --json): quotes and
/// umlauts written as themselves ("claim 'solar-pause'", "Garage Müller"), not as \u0027 and \u00FC. Never for
/// JSON that goes into an HTML page.
/// </summary>
public static class ReadableJson
{
    /// <summary>A copy of a source-generated context's options that writes text as it is.</summary>
    public static JsonSerializerOptions Of(JsonSerializerOptions generated) =>
        new(generated) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
