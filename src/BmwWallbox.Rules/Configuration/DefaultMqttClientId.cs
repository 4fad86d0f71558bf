using System.Security.Cryptography;
using System.Text;

namespace BmwWallbox.Rules.Configuration;

/// <summary>
/// The MQTT client id of an instance on an external broker when <c>mqtt.broker.client_id</c> is not written:
/// <c>bmw-rules-&lt;host&gt;-&lt;8 hex of the data_dir path&gt;</c>. A broker drops the older of two connections with one
/// client id, so two instances on one broker with one fixed default would knock each other off in turn; this one differs
/// per machine and per data_dir (two instances on one machine need two data_dirs anyway) and stays the same across restarts.
/// </summary>
internal static class DefaultMqttClientId
{
    private const int MaxHostLength = 20;

    public static AppConfig Apply(AppConfig c, string configFile)
    {
        if (c.Mqtt.Broker is not { } external || external.ClientId.Length > 0) return c;
        var dataDir = Path.GetFullPath(c.DataDir, Path.GetDirectoryName(Path.GetFullPath(configFile)) ?? ".");
        return c with { Mqtt = c.Mqtt with { Broker = external with { ClientId = For(Environment.MachineName, dataDir) } } };
    }

    public static string For(string host, string dataDir)
    {
        // Letters, digits and '-' only, short: every broker takes such an id (MQTT 3.1.1 promises 23 characters, brokers allow more).
        var safe = new StringBuilder();
        foreach (var ch in host.ToLowerInvariant())
            if (safe.Length < MaxHostLength && (char.IsAsciiLetterOrDigit(ch) || ch == '-')) safe.Append(ch);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDir)))[..8];
        return safe.Length > 0 ? $"bmw-rules-{safe}-{hash}" : $"bmw-rules-{hash}";
    }
}
