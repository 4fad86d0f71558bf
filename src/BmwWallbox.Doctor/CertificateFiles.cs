using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace BmwWallbox.Doctor;

/// <summary>
/// Reads the certificate and key files the way Kestrel will (PEM), and turns the usual mistakes
/// (DER instead of PEM, cert and key swapped, encrypted key, unreadable file) into specific failures.
/// </summary>
internal static class CertificateFiles
{
    private const int Step = DoctorSteps.Tls;

    /// <summary>Every certificate in the PEM file, in file order (leaf first), or the failure.</summary>
    public static async Task<(IReadOnlyList<X509Certificate2>? Certs, DoctorCheck? Failure)> ReadCertificatesAsync(string path, CancellationToken ct)
    {
        var (bytes, failure) = await ReadAsync(path, "tls.cert", "ocpp.tls.cert", ct);
        if (bytes is null) return (null, failure);
        var text = Encoding.UTF8.GetString(bytes);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            try
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPem(text);
                return (collection.ToList(), null);
            }
            catch (CryptographicException e)
            {
                return (null, DoctorCheck.Fail(Step, "tls.cert", $"{path}: damaged PEM certificate ({e.Message})", "copy the file again from your certificate provider"));
            }
        }
        if (text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            return (null, DoctorCheck.Fail(Step, "tls.cert", $"{path} holds a private key, not a certificate", "ocpp.tls.cert and ocpp.tls.key look swapped"));
        if (IsDerCertificate(bytes))
            return (null, DoctorCheck.Fail(Step, "tls.cert", $"{path} is DER (binary), bmw-rules needs PEM",
                $"file is DER, convert with: openssl x509 -inform der -in {path} -out {path}.pem (and point ocpp.tls.cert at the .pem)"));
        return (null, DoctorCheck.Fail(Step, "tls.cert", $"{path} is not a PEM certificate (no BEGIN CERTIFICATE block)", "set ocpp.tls.cert to fullchain.pem from your certificate provider"));
    }

    /// <summary>The SubjectPublicKeyInfo of the private key in the PEM file, or the failure.</summary>
    public static async Task<(byte[]? PublicKey, DoctorCheck? Failure)> ReadKeyAsync(string path, CancellationToken ct)
    {
        var (bytes, failure) = await ReadAsync(path, "tls.key", "ocpp.tls.key", ct);
        if (bytes is null) return (null, failure);
        var text = Encoding.UTF8.GetString(bytes);
        if (text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
            return (null, DoctorCheck.Fail(Step, "tls.key", $"{path} is password-protected; the server needs an unencrypted key",
                $"decrypt it with: openssl pkey -in {path} -out {path}.plain.pem (keep it readable only by bmw-rules)"));
        if (!text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                return (null, DoctorCheck.Fail(Step, "tls.key", $"{path} holds a certificate, not a private key", "ocpp.tls.cert and ocpp.tls.key look swapped"));
            if (PublicKeyOfDerKey(bytes) is not null)
                return (null, DoctorCheck.Fail(Step, "tls.key", $"{path} is a DER (binary) key, bmw-rules needs PEM",
                    $"convert with: openssl pkey -inform der -in {path} -out {path}.pem"));
            return (null, DoctorCheck.Fail(Step, "tls.key", $"{path} is not a PEM private key", "set ocpp.tls.key to privkey.pem from your certificate provider"));
        }
        var publicKey = PublicKeyOfPem(text);
        return publicKey is null
            ? (null, DoctorCheck.Fail(Step, "tls.key", $"{path}: unsupported or damaged private key (RSA or ECDSA expected)", "set ocpp.tls.key to privkey.pem from your certificate provider"))
            : (publicKey, null);
    }

    private static async Task<(byte[]? Bytes, DoctorCheck? Failure)> ReadAsync(string path, string name, string key, CancellationToken ct)
    {
        try
        {
            return (await File.ReadAllBytesAsync(path, ct), null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, DoctorCheck.Fail(Step, name, $"{path} not found", $"set {key} to an existing file (Let's Encrypt: /etc/letsencrypt/live/<host>/)"));
        }
        catch (UnauthorizedAccessException)
        {
            return (null, DoctorCheck.Fail(Step, name, $"{path} is not readable by this user", "let the user running bmw-rules read it (chgrp/chmod g+r, or run the doctor as that user)"));
        }
        catch (IOException e)
        {
            return (null, DoctorCheck.Fail(Step, name, $"{path} cannot be read: {e.Message}", $"check {key}"));
        }
    }

    private static bool IsDerCertificate(byte[] bytes)
    {
        try
        {
            using var _ = X509CertificateLoader.LoadCertificate(bytes);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static byte[]? PublicKeyOfPem(string pem) =>
        TryKey(() => { using var rsa = RSA.Create(); rsa.ImportFromPem(pem); return rsa.ExportSubjectPublicKeyInfo(); })
        ?? TryKey(() => { using var ec = ECDsa.Create(); ec.ImportFromPem(pem); return ec.ExportSubjectPublicKeyInfo(); });

    private static byte[]? PublicKeyOfDerKey(byte[] der) =>
        TryKey(() => { using var rsa = RSA.Create(); rsa.ImportPkcs8PrivateKey(der, out _); return rsa.ExportSubjectPublicKeyInfo(); })
        ?? TryKey(() => { using var rsa = RSA.Create(); rsa.ImportRSAPrivateKey(der, out _); return rsa.ExportSubjectPublicKeyInfo(); })
        ?? TryKey(() => { using var ec = ECDsa.Create(); ec.ImportPkcs8PrivateKey(der, out _); return ec.ExportSubjectPublicKeyInfo(); })
        ?? TryKey(() => { using var ec = ECDsa.Create(); ec.ImportECPrivateKey(der, out _); return ec.ExportSubjectPublicKeyInfo(); });

    private static byte[]? TryKey(Func<byte[]> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
