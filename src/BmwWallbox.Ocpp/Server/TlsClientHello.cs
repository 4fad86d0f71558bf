using System.Buffers;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// What a client's TLS ClientHello offers, as far as choosing our cipher suites needs it: its cipher
/// suites (IANA numbers) and whether it offers TLS 1.3 (the supported_versions extension).
/// Read from the first TLS record, the way Kestrel hands it over before the handshake (record header
/// included; RFC 5246 6.2 and 7.4.1.2, RFC 8446 4.1.2 and 4.2.1). The bytes come from anyone who can
/// open a socket: every length is checked against what is there, and anything malformed or cut short
/// (including a ClientHello longer than its first record) reads as null, never as an exception.
/// </summary>
internal sealed record TlsClientHello(IReadOnlyList<ushort> CipherSuites, bool OffersTls13)
{
    private const byte HandshakeRecord = 22;
    private const byte ClientHelloMessage = 1;
    private const ushort SupportedVersionsExtension = 43;
    private const ushort Tls13 = 0x0304;

    public static TlsClientHello? TryParse(ReadOnlySequence<byte> record)
    {
        var reader = new SequenceReader<byte>(record);
        if (!reader.TryRead(out var contentType) || contentType != HandshakeRecord) return null;
        if (!TrySkip(ref reader, 2)) return null; // record version
        if (!TryReadUInt16(ref reader, out var recordLength) || !TrySlice(ref reader, recordLength, out var body)) return null;

        var hello = new SequenceReader<byte>(body);
        if (!hello.TryRead(out var messageType) || messageType != ClientHelloMessage) return null;
        if (!TryReadUInt24(ref hello, out var messageLength) || !TrySlice(ref hello, messageLength, out var message)) return null;

        var fields = new SequenceReader<byte>(message);
        if (!TrySkip(ref fields, 2 + 32)) return null; // legacy_version, random
        if (!TrySkipVector8(ref fields)) return null; // legacy_session_id
        if (!TryReadUInt16(ref fields, out var suitesLength) || suitesLength == 0 || suitesLength % 2 != 0) return null;
        var suites = new ushort[suitesLength / 2];
        for (var i = 0; i < suites.Length; i++)
            if (!TryReadUInt16(ref fields, out suites[i])) return null;
        if (!TrySkipVector8(ref fields)) return null; // legacy_compression_methods
        if (fields.End) return new TlsClientHello(suites, OffersTls13: false); // a hello without extensions (TLS 1.2 and older)

        var offersTls13 = TryReadSupportedVersions(ref fields);
        return offersTls13 is null ? null : new TlsClientHello(suites, offersTls13.Value);
    }

    /// <summary>Walks the extensions block to its end: true or false for TLS 1.3 offered, null when the block is malformed.</summary>
    private static bool? TryReadSupportedVersions(ref SequenceReader<byte> fields)
    {
        if (!TryReadUInt16(ref fields, out var extensionsLength) || !TrySlice(ref fields, extensionsLength, out var block) || !fields.End) return null;
        var extensions = new SequenceReader<byte>(block);
        var offersTls13 = false;
        while (!extensions.End)
        {
            if (!TryReadUInt16(ref extensions, out var type) || !TryReadUInt16(ref extensions, out var length)
                || !TrySlice(ref extensions, length, out var data)) return null;
            if (type != SupportedVersionsExtension) continue;
            var versions = new SequenceReader<byte>(data);
            if (!versions.TryRead(out var listLength) || listLength % 2 != 0 || versions.Remaining != listLength) return null;
            while (TryReadUInt16(ref versions, out var version))
                offersTls13 |= version == Tls13;
        }
        return offersTls13;
    }

    private static bool TryReadUInt16(ref SequenceReader<byte> reader, out ushort value)
    {
        var ok = reader.TryReadBigEndian(out short raw);
        value = (ushort)raw;
        return ok;
    }

    private static bool TryReadUInt24(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        for (var i = 0; i < 3; i++)
        {
            if (!reader.TryRead(out var b)) return false;
            value = (value << 8) | b;
        }
        return true;
    }

    private static bool TrySkip(ref SequenceReader<byte> reader, int count)
    {
        if (reader.Remaining < count) return false;
        reader.Advance(count);
        return true;
    }

    private static bool TrySkipVector8(ref SequenceReader<byte> reader)
        => reader.TryRead(out var length) && TrySkip(ref reader, length);

    /// <summary>The next <paramref name="length"/> bytes, when all of them are there.</summary>
    private static bool TrySlice(ref SequenceReader<byte> reader, int length, out ReadOnlySequence<byte> slice)
    {
        slice = default;
        if (reader.Remaining < length) return false;
        slice = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        return true;
    }
}
