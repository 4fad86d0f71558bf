using System.Buffers;
using System.Net.Security;
using System.Runtime.Versioning;
using Microsoft.AspNetCore.Connections;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Sets our cipher-suite policy (<see cref="TlsCipherSuites.Policy"/>) only on the connections whose
/// client needs it. .NET shares one OpenSSL context per certificate, and resumes TLS sessions, only
/// for connections without a policy; with one, each connection builds and keeps its own context
/// (~11-13 KB and part of the handshake's CPU). The system's default offer lacks the plain-RSA suites
/// of security profile 2 (on Debian and Raspberry Pi OS) and TLS 1.2's CHACHA20, but serves every client
/// that offers TLS 1.3 or an ECDHE AES-GCM suite (<see cref="TlsCipherSuites.ServedByDefault"/>); so Kestrel
/// shows us each ClientHello before the handshake, and only a client offering nothing the default serves
/// (or a hello we cannot read) gets the policy.
/// </summary>
/// <param name="rsaCertificate">Whether the certificate served now has an RSA key (else EC): which ECDHE suites it can serve.
/// Asked per connection: a renewed certificate may have the other kind of key.</param>
[SupportedOSPlatform("linux")]
internal sealed class ClientCipherPolicy(Func<bool> rsaCertificate)
{
    /// <summary>In the connection's items when its ClientHello was read and the default offer serves it.</summary>
    private static readonly object ServedByDefault = new();

    /// <summary>For <c>HttpsConnectionAdapterOptions.TlsClientHelloBytesCallback</c>: before the handshake, once per connection.</summary>
    public void OnClientHello(ConnectionContext connection, ReadOnlySequence<byte> record)
    {
        if (TlsCipherSuites.ServedByDefault(TlsClientHello.TryParse(record), rsaCertificate()))
            connection.Items[ServedByDefault] = ServedByDefault;
    }

    /// <summary>For <c>HttpsConnectionAdapterOptions.OnAuthenticate</c>: a connection not known to be served by default gets the policy.</summary>
    public void OnAuthenticate(ConnectionContext connection, SslServerAuthenticationOptions ssl)
    {
        if (!connection.Items.ContainsKey(ServedByDefault)) ssl.CipherSuitesPolicy = TlsCipherSuites.Policy;
    }
}
