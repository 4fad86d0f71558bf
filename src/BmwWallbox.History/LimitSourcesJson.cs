using System.Text.Json.Serialization;

namespace BmwWallbox.History;

/// <summary>The JSON of a session's limit_sources column, generated at build time (no reflection: Native AOT, faster start).</summary>
[JsonSerializable(typeof(List<SessionStore.StoredSource>))]
internal sealed partial class LimitSourcesJson : JsonSerializerContext;
