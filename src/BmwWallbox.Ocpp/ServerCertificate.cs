using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp;

/// <summary>
/// The TLS certificate the server presents: the leaf (with its private key) plus the
/// intermediates, all of which are served so the wallbox can build the chain (quirk 11).
/// </summary>
public sealed class ServerCertificate : IDisposable
{
    private ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection chain, bool isSelfSigned)
    {
        Certificate = certificate;
        Chain = chain;
        IsSelfSigned = isSelfSigned;
    }

    /// <summary>The leaf certificate, with private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate certificates served after the leaf (may be empty).</summary>
    public X509Certificate2Collection Chain { get; }

    public bool IsSelfSigned { get; }

    /// <summary>
    /// Loads <c>ocpp.tls.cert</c>/<c>key</c>. When both files are missing and <c>self_signed</c> is on,
    /// uses (or creates) a development certificate in <c>&lt;dataDirectory&gt;/tls/</c> instead.
    /// Throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/> with a message
    /// saying which file is wrong and what to do.
    /// </summary>
    public static ServerCertificate Load(TlsOptions tls, string dataDirectory, ILogger logger, TimeProvider time)
    {
        var certExists = File.Exists(tls.Cert);
        var keyExists = File.Exists(tls.Key);
        if (certExists && keyExists)
        {
            // Expired or expiring soon: CertificateFileWatch says so, at start and each day.
            var loaded = FromPemFiles(tls.Cert, tls.Key);
            logger.LogInformation("TLS certificate {Subject} from {CertificatePath} (+{Intermediates} intermediate(s)), valid until {NotAfter:u}",
                loaded.Certificate.Subject, tls.Cert, loaded.Chain.Count, loaded.Certificate.NotAfter.ToUniversalTime());
            return loaded;
        }

        if (MissingFile(tls, certExists, keyExists) is { } missing) throw missing;

        var folder = Path.Combine(dataDirectory, "tls");
        var certPath = Path.Combine(folder, "selfsigned-cert.pem");
        var keyPath = Path.Combine(folder, "selfsigned-key.pem");
        var certificate = TryReuse(certPath, keyPath, time);
        if (certificate is null)
        {
            certificate = CreateSelfSigned(time);
            Directory.CreateDirectory(folder);
            File.WriteAllText(certPath, certificate.Certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, certificate.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogWarning(
            "TLS files {CertificatePath} / {KeyPath} not found: using the self-signed development certificate {SelfSignedPath}. " +
            "A real BMW wallbox refuses it: it needs a certificate from a public CA whose name matches the host name it dials " +
            "(not a bare IP address), served with the full chain (ocpp.tls.cert = fullchain.pem)",
            tls.Cert, tls.Key, certPath);
        return certificate;
    }

    /// <summary>
    /// Why <see cref="Load"/> would refuse these files, or null when it would serve them (or the development
    /// certificate): <c>validate</c> reads them as <c>run</c> will, so a config it calls valid starts.
    /// </summary>
    public static string? Refusal(TlsOptions tls)
    {
        var certExists = File.Exists(tls.Cert);
        var keyExists = File.Exists(tls.Key);
        if (!certExists || !keyExists) return MissingFile(tls, certExists, keyExists)?.Message;
        try
        {
            FromPemFiles(tls.Cert, tls.Key).Dispose();
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>A missing file stops the start, unless both are missing and the development certificate may stand in.</summary>
    private static FileNotFoundException? MissingFile(TlsOptions tls, bool certExists, bool keyExists)
    {
        if (certExists == keyExists && (certExists || tls.SelfSigned)) return null;
        var missing = certExists ? tls.Key : tls.Cert;
        var what = certExists ? "private key (ocpp.tls.key)" : "certificate chain (ocpp.tls.cert)";
        return new FileNotFoundException(
            $"TLS {what} '{missing}' not found. Put the PEM certificate chain (leaf first, then intermediates) and its PEM private key " +
            "there or point ocpp.tls.cert / ocpp.tls.key at them" +
            (tls.SelfSigned ? "." : ", or set ocpp.tls.self_signed: true to use a generated development certificate."),
            missing);
    }

    /// <summary>Reads a PEM chain (leaf first, then intermediates) and the leaf's PEM private key (PKCS#8, RSA or EC).</summary>
    public static ServerCertificate FromPemFiles(string certificatePath, string keyPath) => FromPemFiles(certificatePath, keyPath, isSelfSigned: false);

    /// <summary>
    /// A development certificate (ECDSA P-256) for localhost, this machine's host name,
    /// 127.0.0.1 and ::1 (plus <paramref name="extraHostNames"/>), valid for two years.
    /// </summary>
    public static ServerCertificate CreateSelfSigned(TimeProvider time, IEnumerable<string>? extraHostNames = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hostName = Dns.GetHostName();
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in new[] { "localhost", hostName }.Concat(extraHostNames ?? []).Distinct(StringComparer.OrdinalIgnoreCase))
            names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        return new ServerCertificate(Portable(created), [], isSelfSigned: true);
    }

    /// <summary>The development certificate made earlier, unless it is unreadable or expires within a week.</summary>
    private static ServerCertificate? TryReuse(string certPath, string keyPath, TimeProvider time)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath)) return null;
        try
        {
            var existing = FromPemFiles(certPath, keyPath, isSelfSigned: true);
            if (existing.Certificate.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddDays(7)) return existing;
            existing.Dispose();
        }
        catch (InvalidDataException)
        {
        }
        return null;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var c in Chain) c.Dispose();
    }

    private static ServerCertificate FromPemFiles(string certificatePath, string keyPath, bool isSelfSigned)
    {
        X509Certificate2 leaf;
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPemFile(certificatePath);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"TLS certificate file '{certificatePath}' is not a PEM certificate chain: {e.Message}", e);
        }
        if (all.Count == 0)
            throw new InvalidDataException($"TLS certificate file '{certificatePath}' contains no '-----BEGIN CERTIFICATE-----' block");

        try
        {
            var withKey = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (OperatingSystem.IsWindows())
            {
                using (withKey) leaf = Portable(withKey);
            }
            else leaf = withKey;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException(
                $"TLS private key '{keyPath}' could not be used with the first certificate in '{certificatePath}' ({e.Message}). " +
                "The key must be the PEM private key of the leaf certificate, and the leaf must come first in the chain file.", e);
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var c in all.Skip(1)) intermediates.Add(c);
        all[0].Dispose();
        return new ServerCertificate(leaf, intermediates, isSelfSigned);
    }

    /// <summary>A PEM key is ephemeral; SslStream on Windows needs it re-imported. Elsewhere it is used as it is (the round trip cost start-up time).</summary>
    private static X509Certificate2 Portable(X509Certificate2 certificate)
        => X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
