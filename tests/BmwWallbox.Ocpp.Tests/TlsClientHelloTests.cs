using System.Buffers;
using System.Net.Security;
using System.Security.Authentication;
using BmwWallbox.Ocpp.Server;
using BmwWallbox.Ocpp.Tests.Support;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>The ClientHello reader that decides which connections need our cipher-suite policy, on hellos .NET's own client sends.</summary>
public sealed class TlsClientHelloTests
{
    private static SslClientAuthenticationOptions Client(SslProtocols protocols = SslProtocols.None, params TlsCipherSuite[] only) => new()
    {
        TargetHost = "hello.test",
        EnabledSslProtocols = protocols,
        CipherSuitesPolicy = only.Length > 0 && OperatingSystem.IsLinux() ? new CipherSuitesPolicy(only) : null,
    };

    private static TlsClientHello? Parse(byte[] bytes) => TlsClientHello.TryParse(new ReadOnlySequence<byte>(bytes));

    [Fact]
    public async Task A_default_client_offers_TLS_1_3_and_ECDHE_and_is_served_without_our_policy()
    {
        var hello = Parse(await TlsTranscript.ClientHelloAsync(Client()));

        Assert.NotNull(hello);
        Assert.True(hello.OffersTls13);
        Assert.Contains((ushort)TlsCipherSuite.TLS_AES_128_GCM_SHA256, hello.CipherSuites);
        Assert.Contains((ushort)TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, hello.CipherSuites);
        Assert.True(TlsCipherSuites.ServedByDefault(hello, rsaCertificate: true));
    }

    [Fact]
    public async Task A_TLS_1_2_client_with_an_ECDHE_AES_GCM_suite_for_the_certificates_key_is_served_without_our_policy()
    {
        if (!OperatingSystem.IsLinux()) return; // a client cipher-suite policy needs OpenSSL
        var hello = Parse(await TlsTranscript.ClientHelloAsync(Client(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)));

        Assert.NotNull(hello);
        Assert.False(hello.OffersTls13);
        Assert.Contains((ushort)TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, hello.CipherSuites);
        Assert.True(TlsCipherSuites.ServedByDefault(hello, rsaCertificate: true));
        Assert.False(TlsCipherSuites.ServedByDefault(hello, rsaCertificate: false)); // an EC certificate cannot serve ECDHE_RSA
    }

    /// <summary>.NET's default list on Linux has no TLS 1.2 CHACHA20 suite; ours has.</summary>
    [Fact]
    public async Task A_TLS_1_2_client_with_only_CHACHA20_needs_our_policy()
    {
        if (!OperatingSystem.IsLinux()) return;
        var hello = Parse(await TlsTranscript.ClientHelloAsync(Client(SslProtocols.Tls12,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)));

        Assert.NotNull(hello);
        Assert.False(TlsCipherSuites.ServedByDefault(hello, rsaCertificate: true));
        Assert.False(TlsCipherSuites.ServedByDefault(hello, rsaCertificate: false));
    }

    [Fact]
    public async Task A_client_offering_only_the_plain_RSA_suites_needs_our_policy()
    {
        if (!OperatingSystem.IsLinux()) return;
        var hello = Parse(await TlsTranscript.ClientHelloAsync(Client(SslProtocols.Tls12,
            TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384)));

        Assert.NotNull(hello);
        Assert.False(hello.OffersTls13);
        Assert.Contains((ushort)TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, hello.CipherSuites);
        Assert.Contains((ushort)TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384, hello.CipherSuites);
        Assert.DoesNotContain(hello.CipherSuites, suite => suite == (ushort)TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        Assert.False(TlsCipherSuites.ServedByDefault(hello, rsaCertificate: true));
    }

    [Fact]
    public void TLS_1_3_suites_without_TLS_1_3_offered_do_not_count()
    {
        var hello = new TlsClientHello([(ushort)TlsCipherSuite.TLS_AES_128_GCM_SHA256, (ushort)TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256], OffersTls13: false);

        Assert.False(TlsCipherSuites.ServedByDefault(hello, rsaCertificate: true));
        Assert.True(TlsCipherSuites.ServedByDefault(hello with { OffersTls13 = true }, rsaCertificate: true));
    }

    [Fact]
    public async Task Every_truncated_hello_reads_as_unknown_and_so_gets_our_policy()
    {
        var record = await TlsTranscript.ClientHelloAsync(Client());

        for (var length = 0; length < record.Length; length++)
        {
            var hello = Parse(record[..length]);
            Assert.Null(hello);
            Assert.False(TlsCipherSuites.ServedByDefault(hello, rsaCertificate: true));
        }
    }

    [Fact]
    public async Task A_hello_split_over_buffer_segments_reads_the_same()
    {
        var record = await TlsTranscript.ClientHelloAsync(Client());
        var whole = Parse(record)!;

        var split = TlsClientHello.TryParse(Segments.Of(record[..7], record[7..60], record[60..]));

        Assert.NotNull(split);
        Assert.Equal(whole.CipherSuites, split.CipherSuites);
        Assert.Equal(whole.OffersTls13, split.OffersTls13);
    }

    [Fact]
    public async Task Lengths_that_lie_read_as_unknown()
    {
        var record = await TlsTranscript.ClientHelloAsync(Client());
        const int SuitesLengthAt = 5 + 4 + 2 + 32 + 1 + 32; // .NET sends a 32-byte legacy session id
        Assert.Equal(32, record[5 + 4 + 2 + 32]);

        Assert.Null(Parse(With(record, 3, 0xFF, 0xFF)));                 // record longer than what came
        Assert.Null(Parse(With(record, 6, 0x7F, 0xFF, 0xFF)));           // ClientHello longer than its record
        Assert.Null(Parse(With(record, 5 + 4 + 2 + 32, 0xFF)));          // session id longer than the hello
        Assert.Null(Parse(With(record, SuitesLengthAt, 0xFF, 0xFF)));    // cipher suites beyond the hello
        Assert.Null(Parse(With(record, SuitesLengthAt, 0x00, 0x03)));    // an odd suites length
        Assert.Null(Parse(With(record, SuitesLengthAt, 0x00, 0x00)));    // no suites at all
        Assert.Null(Parse(With(record, 0, 0x17)));                       // application data, not a handshake
        Assert.Null(Parse(With(record, 5, 0x02)));                       // a ServerHello
    }

    [Fact]
    public async Task Garbage_and_every_single_byte_corruption_never_throw()
    {
        var record = await TlsTranscript.ClientHelloAsync(Client());
        var random = new Random(14);

        for (var i = 0; i < record.Length; i++)
            foreach (var value in new byte[] { 0x00, 0xFF, (byte)(record[i] ^ 0x80) })
                _ = Parse(With(record, i, value));
        for (var i = 0; i < 2000; i++)
        {
            var noise = new byte[random.Next(0, 600)];
            random.NextBytes(noise);
            if (noise.Length > 0 && random.Next(2) == 0) noise[0] = 22; // often looks like a handshake record
            _ = Parse(noise);
        }
    }

    private static byte[] With(byte[] record, int at, params byte[] values)
    {
        var copy = (byte[])record.Clone();
        values.CopyTo(copy, at);
        return copy;
    }

    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(params byte[][] parts)
        {
            var first = new Segments(parts[0], 0);
            var last = first;
            foreach (var part in parts.Skip(1))
            {
                var next = new Segments(part, last.RunningIndex + last.Memory.Length);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
