using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BmwWallbox.Doctor.Tests;

/// <summary>Builds real certificate chains (CA → intermediate → leaf) for the TLS checks.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Ca(string name, DateTimeOffset now, X509Certificate2? issuer = null) =>
        Create(name, issuer, isCa: true, now.AddYears(-5), now.AddYears(5), san: null);

    public static X509Certificate2 Leaf(X509Certificate2? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] names)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(name);
        }
        return Create(names.FirstOrDefault() ?? "no-name", issuer, isCa: false, notBefore, notAfter, names.Length == 0 ? null : san.Build());
    }

    /// <summary>A valid leaf for <paramref name="names"/> issued by <paramref name="issuer"/> (null = self-signed).</summary>
    public static X509Certificate2 Leaf(X509Certificate2? issuer, DateTimeOffset now, params string[] names) =>
        Leaf(issuer, now.AddDays(-10), now.AddDays(90), names);

    private static X509Certificate2 Create(string name, X509Certificate2? issuer, bool isCa, DateTimeOffset notBefore, DateTimeOffset notAfter, X509Extension? san)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            isCa ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (!isCa) request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        if (san is not null) request.CertificateExtensions.Add(san);
        if (issuer is null) return request.CreateSelfSigned(notBefore, notAfter);
        using var signed = request.Create(issuer, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    public static string Pem(params X509Certificate2[] chain) => string.Concat(chain.Select(c => c.ExportCertificatePem() + "\n"));

    public static string KeyPem(X509Certificate2 cert) => cert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
}
