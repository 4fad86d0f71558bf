using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BmwWallbox.Dashboard;

/// <summary>How the dashboard's API writes JSON: camelCase, enums as names.</summary>
internal static class DashboardJson
{
    /// <summary>A view as JSON; a type missing from <see cref="DashboardJsonContext"/> throws (NotSupportedException), in every test that shows it.</summary>
    public static string Serialize<T>(T value) =>
        JsonSerializer.Serialize(value, (JsonTypeInfo<T>)DashboardJsonContext.Default.Options.GetTypeInfo(typeof(T)));
}

/// <summary>
/// The views' JSON code, generated at build time: no reflection, so it runs in the Native AOT build and starts
/// faster in the JIT one.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DashboardSnapshot))]
[JsonSerializable(typeof(ChartView))]
[JsonSerializable(typeof(HistoryView))]
[JsonSerializable(typeof(ActionView))]
[JsonSerializable(typeof(ErrorView))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
