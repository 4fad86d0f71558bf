using System.Text.Encodings.Web;
using System.Text.Json;

namespace BmwWallbox.Mqtt;

/// <summary>
/// A discovery config or topic made once for all stations, with stand-ins where a station's names go, and filled
/// in per station. A '+' occurs in no topic base or station name (both are checked: it is MQTT's wildcard), nor in
/// a template or slug, so the stand-ins cannot be mistaken.
/// </summary>
internal sealed class StationTemplate(string text, bool json)
{
    /// <summary>The station's discovery node id (<see cref="HomeAssistantDiscovery.Node"/>).</summary>
    public const string NodeMark = "+node+";
    /// <summary>The start of its entity ids (<c>wallbox_&lt;slug of the name&gt;</c>).</summary>
    public const string EntityPrefixMark = "+entity-prefix+";
    /// <summary>Its name, as in its topics.</summary>
    public const string NameMark = "+station-name+";

    private readonly FillInText _text = new(text, NodeMark, EntityPrefixMark, NameMark);

    /// <summary>The text for one station, after <paramref name="prefix"/>.</summary>
    public string Fill(string stationId, string name, string prefix = "")
        => _text.Fill(prefix, HomeAssistantDiscovery.Node(stationId), HomeAssistantDiscovery.EntityPrefix(name),
            json ? JsonEncodedText.Encode(name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString() : name);
}
