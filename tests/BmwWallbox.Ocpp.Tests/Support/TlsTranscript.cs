using System.Buffers.Binary;
using System.Net.Security;

namespace BmwWallbox.Ocpp.Tests.Support;

/// <summary>Reads TLS records off the wire bytes a <see cref="TappedStream"/> kept.</summary>
internal static class TlsTranscript
{
    private const byte ChangeCipherSpecRecord = 20;
    private const byte HandshakeRecord = 22;
    private const byte CertificateMessage = 11;

    /// <summary>The ClientHello record exactly as the client sent it: what a client SslStream writes first (with nobody answering).</summary>
    public static async Task<byte[]> ClientHelloAsync(SslClientAuthenticationOptions options)
    {
        await using var tap = new TappedStream(Stream.Null); // reads end at once: the handshake stops after the ClientHello
        await using var tls = new SslStream(tap, leaveInnerStreamOpen: true);
        await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsClientAsync(options)).WaitAsync(TestTimeouts.Guard);
        return FirstRecord(tap.BytesWritten);
    }

    public static byte[] FirstRecord(byte[] wire) => wire[..(5 + BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(3)))];

    /// <summary>
    /// Whether the server's TLS 1.2 flight carried its certificate before it switched to encryption: a full
    /// handshake does; a resumed session does not (ServerHello, then straight to ChangeCipherSpec).
    /// </summary>
    public static bool ServerSentCertificate(byte[] read)
    {
        using var handshake = new MemoryStream();
        for (var at = 0; at + 5 <= read.Length;)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(read.AsSpan(at + 3));
            if (read[at] == ChangeCipherSpecRecord) break;
            if (read[at] == HandshakeRecord) handshake.Write(read, at + 5, length);
            at += 5 + length;
        }
        var messages = handshake.ToArray();
        for (var at = 0; at + 4 <= messages.Length; at += 4 + (messages[at + 1] << 16 | messages[at + 2] << 8 | messages[at + 3]))
            if (messages[at] == CertificateMessage) return true;
        return false;
    }
}
