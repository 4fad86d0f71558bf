using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace BmwWallbox.Doctor;

/// <summary>
/// Step 2: the certificate the box will see. The BMW box only accepts a public-CA certificate
/// whose name matches the host it dials, served with the full chain (src/BMW_WALLBOX.md, quirk 11).
/// </summary>
internal sealed class TlsCheck(TimeProvider time)
{
    private const int Step = DoctorSteps.Tls;
    internal static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);
    private const string PublicCaFix = "a BMW box needs a public CA certificate matching its host name (e.g. Let's Encrypt)";

    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(DoctorInput input, CancellationToken ct)
    {
        var results = new List<DoctorCheck>();
        if (input.AllowInsecure)
            results.Add(DoctorCheck.Warn(Step, "tls.insecure", "ocpp.allow_insecure is on: the server speaks plain ws://", "fine for the simulator; a BMW box needs wss: set allow_insecure: false"));
        if (input.Host is { } host && IPAddress.TryParse(host, out _))
            results.Add(DoctorCheck.Warn(Step, "tls.host_ip", $"the wallbox is to dial a bare IP address ({host}); the BMW box fails TLS with IP addresses",
                "give this machine a DNS name (e.g. a DynDNS/DuckDNS name or a local DNS entry) and a public certificate for it"));

        if (input.SelfSigned && !File.Exists(input.CertPath) && !File.Exists(input.KeyPath))
        {
            results.Add(DoctorCheck.Warn(Step, "tls.files", $"{input.CertPath} and {input.KeyPath} not found: bmw-rules will serve a generated self-signed certificate",
                $"fine for the simulator; {PublicCaFix}: set ocpp.tls.cert/key to it"));
            return results;
        }

        var (certs, certFailure) = await CertificateFiles.ReadCertificatesAsync(input.CertPath, ct);
        var (keyPublic, keyFailure) = await CertificateFiles.ReadKeyAsync(input.KeyPath, ct);
        if (certFailure is not null) results.Add(certFailure);
        if (keyFailure is not null) results.Add(keyFailure);
        if (certs is null) return results;
        try
        {
            var leaf = certs[0];
            results.Add(DoctorCheck.Ok(Step, "tls.cert", $"{input.CertPath}: PEM, {certs.Count} certificate(s), server certificate {leaf.Subject}"));
            if (keyPublic is not null) results.Add(KeyMatch(leaf, keyPublic, input));
            results.Add(Chain(leaf, certs));
            results.Add(Validity(leaf));
            results.Add(Names(leaf, input.Host));
            return results;
        }
        finally
        {
            foreach (var cert in certs) cert.Dispose();
        }
    }

    private static DoctorCheck KeyMatch(X509Certificate2 leaf, byte[] keyPublic, DoctorInput input) =>
        leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(keyPublic)
            ? DoctorCheck.Ok(Step, "tls.key_match", $"{input.KeyPath} matches the certificate")
            : DoctorCheck.Fail(Step, "tls.key_match", $"{input.KeyPath} does not belong to the certificate in {input.CertPath}",
                "use the privkey.pem issued together with this certificate (same folder, same renewal)");

    /// <summary>Leaf → intermediates must be in the file; only the root may be left out (the client has it).</summary>
    private static DoctorCheck Chain(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> certs)
    {
        if (IsSelfSigned(leaf))
            return DoctorCheck.Warn(Step, "tls.self_signed", $"the certificate is self-signed ({leaf.Subject})", PublicCaFix);

        var path = new List<X509Certificate2> { leaf };
        var current = leaf;
        while (!IsSelfSigned(current) && certs.FirstOrDefault(c => !path.Contains(c) && IssuedBy(current, c)) is { } issuer)
        {
            path.Add(issuer);
            current = issuer;
        }
        if (path.Count == 1 && !IsTrustedRoot(leaf.IssuerName))
            return DoctorCheck.Fail(Step, "tls.chain", $"incomplete chain: the file holds the server certificate without its issuer ({leaf.Issuer})",
                "serve fullchain.pem, not cert.pem");
        var issuers = string.Join(" → ", path.Skip(1).Select(c => c.GetNameInfo(X509NameType.SimpleName, false)));
        return DoctorCheck.Ok(Step, "tls.chain", path.Count == 1
            ? $"issued directly by the trusted root {leaf.Issuer}"
            : $"full chain: server certificate → {issuers}");
    }

    private DoctorCheck Validity(X509Certificate2 leaf)
    {
        var now = time.GetUtcNow();
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        const string renew = "renew it (e.g. `certbot renew`); a running bmw-rules serves the renewed files within seconds, no restart";
        if (now > notAfter)
            return DoctorCheck.Fail(Step, "tls.expiry", $"the certificate expired on {notAfter:yyyy-MM-dd}", renew);
        if (now < notBefore)
            return DoctorCheck.Fail(Step, "tls.expiry", $"the certificate is not valid before {notBefore:yyyy-MM-dd HH:mm}Z", "check this machine's clock, or wait");
        var left = notAfter - now;
        return left < RenewBefore
            ? DoctorCheck.Warn(Step, "tls.expiry", $"the certificate expires in {left.Days} day(s), on {notAfter:yyyy-MM-dd}", renew)
            : DoctorCheck.Ok(Step, "tls.expiry", $"valid until {notAfter:yyyy-MM-dd} ({left.Days} days)");
    }

    private static DoctorCheck Names(X509Certificate2 leaf, string? host)
    {
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var names = san is null
            ? []
            : san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(ip => ip.ToString())).ToList();
        if (names.Count == 0)
            return DoctorCheck.Fail(Step, "tls.names", "the certificate names no host (no subjectAltName); clients ignore the CN", "get a certificate issued for the host name the wallbox dials");
        var covers = string.Join(", ", names);
        if (string.IsNullOrWhiteSpace(host))
            return DoctorCheck.Info(Step, "tls.names", $"the certificate covers: {covers}", "pass the host name you put in the wallbox (--host) to check that it is covered");
        return leaf.MatchesHostname(host, allowWildcards: true, allowCommonName: false)
            ? DoctorCheck.Ok(Step, "tls.names", $"the certificate covers {host} (names: {covers})")
            : DoctorCheck.Fail(Step, "tls.names", $"the certificate does not cover {host} (it covers: {covers})",
                $"put one of its names into the wallbox URL, or get a certificate for {host}");
    }

    private static bool IsSelfSigned(X509Certificate2 cert) => IssuedBy(cert, cert);

    private static bool IssuedBy(X509Certificate2 cert, X509Certificate2 issuer) =>
        cert.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData);

    /// <summary>A leaf signed directly by a root the system trusts needs no intermediate in the file.</summary>
    private static bool IsTrustedRoot(X500DistinguishedName issuer)
    {
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        try
        {
            store.Open(OpenFlags.ReadOnly);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        var trusted = false;
        foreach (var root in store.Certificates)
        {
            trusted |= root.SubjectName.RawData.AsSpan().SequenceEqual(issuer.RawData);
            root.Dispose();
        }
        return trusted;
    }
}
