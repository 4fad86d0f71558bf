using System.Text;

namespace BmwWallbox.Ocpp;

/// <summary>
/// The topic-safe name (MQTT topics, rules) of a station that has none written: its id in lower case, every run of
/// other characters than a–z, 0–9, '-' and '_' one '-' ("DE*BMW*E123" → "de-bmw-e123").
/// </summary>
public static class StationNames
{
    public static string FromId(string id)
    {
        var name = new StringBuilder(id.Length);
        foreach (var c in id.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-') name.Append(c);
            else if (name.Length > 0 && name[^1] != '-') name.Append('-');
        }
        var slug = name.ToString().Trim('-', '_');
        return slug.Length > 0 ? slug : "station";
    }
}
