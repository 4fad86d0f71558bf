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
}
