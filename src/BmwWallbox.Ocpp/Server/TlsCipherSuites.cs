using System.Net.Security;
using System.Runtime.Versioning;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// The cipher suites the server offers where the platform lets us choose (Linux, OpenSSL):
/// TLS 1.3, the ECDHE AEAD suites, and the two plain-RSA suites that OCPP 2.0.1 security
/// profile 2 requires a CSMS to support (A00.FR.318), which OpenSSL's defaults leave out.
/// The RSA and ECDHE_RSA suites need an RSA certificate; ECDHE_ECDSA an EC one.
/// </summary>
internal static class TlsCipherSuites
{
    public static readonly IReadOnlyList<TlsCipherSuite> Offered =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
    ];

    [SupportedOSPlatform("linux")]
    public static CipherSuitesPolicy Policy { get; } = new(Offered);

    /// <summary>TLS 1.3's suites in OpenSSL's default (its TLS 1.3 list is separate from the TLS 1.2 one, and no openssl.cnf we know trims it).</summary>
    private static readonly HashSet<ushort> DefaultTls13 =
    [
        (ushort)TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        (ushort)TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        (ushort)TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// The TLS 1.2 suites of ours that every default we know serves: .NET's own list (used when openssl.cnf names
    /// no CipherString, as on Debian; it has the ECDHE AES-GCM and CBC suites but no CHACHA20) and OpenSSL's DEFAULT.
    /// </summary>
    private static readonly HashSet<ushort> DefaultTls12ForRsa =
    [
        (ushort)TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        (ushort)TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ];

    /// <inheritdoc cref="DefaultTls12ForRsa"/>
    private static readonly HashSet<ushort> DefaultTls12ForEc =
    [
        (ushort)TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        (ushort)TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];

    /// <summary>
    /// Whether the system's default offer serves this client, so it needs no <see cref="Policy"/>: it offers TLS 1.3
    /// with one of its suites, or an ECDHE AES-GCM suite for the certificate's key (RSA or EC). A client offering only
    /// the plain-RSA suites of profile 2, or only CHACHA20 in TLS 1.2, or a hello that could not be read, needs the policy.
    /// </summary>
    public static bool ServedByDefault(TlsClientHello? hello, bool rsaCertificate)
    {
        if (hello is null) return false;
        var tls12 = rsaCertificate ? DefaultTls12ForRsa : DefaultTls12ForEc;
        return hello.CipherSuites.Any(suite => tls12.Contains(suite) || hello.OffersTls13 && DefaultTls13.Contains(suite));
    }
}
