using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Charging;

/// <summary>
/// The JSON code of the charging state files (claims-&lt;name&gt;.json, modes.json), generated at build time:
/// no reflection, so it runs in the Native AOT build and starts faster in the JIT one.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ManualClaimStore.StoredClaims))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StoreJson : JsonSerializerContext;
