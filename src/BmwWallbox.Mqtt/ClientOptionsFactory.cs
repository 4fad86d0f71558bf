using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BmwWallbox.Mqtt;

/// <summary>Builds the MQTTnet client options (endpoint, credentials, TLS, last will) from config.</summary>
internal static class ClientOptionsFactory
{
    public const string EmbeddedClientId = "bmw-rules";

    /// <param name="bridgeSecret">The embedded broker's password for our own client id (see <see cref="BrokerAccess"/>).</param>
    public static MqttClientOptions Create(MqttOptions options, string statusTopic, string bridgeSecret = "")
    {
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500) // subscription identifiers; 3.1.1 fallback in MqttConnection
            .WithCleanSession(true) // subscriptions are restored by us on every connect
            .WithTimeout(options.ConnectTimeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithWillTopic(statusTopic)
            .WithWillPayload(BridgeStatus.Offline)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);

        if (options.Broker is not { } external)
            return builder.WithTcpServer(LoopbackFor(options.Bind), options.Port).WithClientId(EmbeddedClientId)
                .WithCredentials(EmbeddedClientId, bridgeSecret).Build();

        if (string.IsNullOrWhiteSpace(external.Host))
            throw new ArgumentException("mqtt.broker.host must not be empty");
        // The config loader fills in a per-instance id when none is written; a caller that made its options by hand gets the fixed one.
        builder.WithTcpServer(external.Host, external.Port).WithClientId(external.ClientId.Length > 0 ? external.ClientId : EmbeddedClientId);
        if (!string.IsNullOrEmpty(external.Username))
            builder.WithCredentials(external.Username, external.Password ?? "");
        if (external.Tls)
        {
            var trusted = external.CaFile is { } caFile ? LoadCa(caFile) : null;
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls(true).WithTargetHost(external.Host);
                if (trusted is not null)
                    tls.WithCertificateValidationHandler(args => IsTrustedByCa(args, trusted));
            });
        }
        return builder.Build();
    }

    /// <summary>Where our own client reaches the embedded broker.</summary>
    private static string LoopbackFor(string bind) => IPAddress.TryParse(bind, out var address) switch
    {
        true when address.Equals(IPAddress.Any) => IPAddress.Loopback.ToString(),
        true when address.Equals(IPAddress.IPv6Any) => IPAddress.IPv6Loopback.ToString(),
        _ => bind,
    };

    private static X509Certificate2Collection LoadCa(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"mqtt.broker.ca_file '{path}' does not exist", path);
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        if (collection.Count == 0)
            throw new ArgumentException($"mqtt.broker.ca_file '{path}' contains no PEM certificate");
        return collection;
    }

    /// <summary>Accepts the broker certificate only when it chains to the configured CA and names the host.</summary>
    private static bool IsTrustedByCa(MqttClientCertificateValidationEventArgs args, X509Certificate2Collection trusted)
    {
        if (args.SslPolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)
            || args.SslPolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var certificate = args.Certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(args.Certificate.GetRawCertData());
        return chain.Build(certificate);
    }
}
