using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Dashboard;

/// <summary>How the dashboard's API writes JSON: camelCase, enums as names.</summary>
internal static class DashboardJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
