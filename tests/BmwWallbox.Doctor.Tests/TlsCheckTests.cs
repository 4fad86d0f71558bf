using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Core;
using BmwWallbox.TestKit.Certificates;

namespace BmwWallbox.Doctor.Tests;

public sealed class TlsCheckTests : IDisposable
{
    private const string Host = "box.example.test";
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();
    private readonly X509Certificate2 _root = TestCertificates.Ca("Test Root", Now);
    private readonly X509Certificate2 _intermediate;

    public TlsCheckTests() => _intermediate = TestCertificates.Ca("Test Intermediate", Now, _root);

    public void Dispose()
    {
        _dir.Dispose();
        _root.Dispose();
        _intermediate.Dispose();
    }

    private Task<IReadOnlyList<DoctorCheck>> RunAsync(string? certPem, string? keyPem, string? host = Host, bool selfSigned = false)
    {
        var input = new DoctorInput
        {
            CertPath = certPem is null ? _dir.File("missing.pem") : _dir.Write("fullchain.pem", certPem),
            KeyPath = keyPem is null ? _dir.File("missing-key.pem") : _dir.Write("privkey.pem", keyPem),
            SelfSigned = selfSigned,
            Host = host,
        };
        return new TlsCheck(new ManualClock(Now)).RunAsync(input, CancellationToken.None);
    }

    private X509Certificate2 LeafFromIntermediate(params string[] names) => TestCertificates.Leaf(_intermediate, Now, names);

    private static DoctorCheck Single(IReadOnlyList<DoctorCheck> checks, string name) => Assert.Single(checks, c => c.Name == name);

    [Fact]
    public async Task Full_chain_from_a_ca_with_matching_name_is_all_ok()
    {
        using var leaf = LeafFromIntermediate(Host, "192.168.1.5");
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), TestCertificates.KeyPem(leaf));

        Assert.All(checks, c => Assert.Equal(CheckStatus.Ok, c.Status));
        Assert.Equal(["tls.cert", "tls.key_match", "tls.chain", "tls.expiry", "tls.names"], checks.Select(c => c.Name));
        Assert.Contains("Test Intermediate", Single(checks, "tls.chain").Message);
        Assert.Contains("192.168.1.5", Single(checks, "tls.names").Message);
    }

    [Fact]
    public async Task Missing_certificate_fails_naming_the_file()
    {
        using var leaf = LeafFromIntermediate(Host);
        var checks = await RunAsync(null, TestCertificates.KeyPem(leaf));

        var cert = Single(checks, "tls.cert");
        Assert.Equal(CheckStatus.Fail, cert.Status);
        Assert.Contains("missing.pem not found", cert.Message);
        Assert.Contains("ocpp.tls.cert", cert.Fix);
    }

    [Fact]
    public async Task Missing_key_fails_while_the_certificate_is_still_checked()
    {
        using var leaf = LeafFromIntermediate(Host);
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), null);

        var key = Single(checks, "tls.key");
        Assert.Equal(CheckStatus.Fail, key.Status);
        Assert.Contains("missing-key.pem not found", key.Message);
        Assert.Equal(CheckStatus.Ok, Single(checks, "tls.chain").Status);
    }

    [Fact]
    public async Task Both_files_missing_with_self_signed_on_warns_that_a_bmw_box_refuses_it()
    {
        var checks = await RunAsync(null, null, selfSigned: true);

        var files = Assert.Single(checks);
        Assert.Equal(CheckStatus.Warn, files.Status);
        Assert.Contains("self-signed", files.Message);
        Assert.Contains("public CA", files.Fix);
    }

    [Fact]
    public async Task Der_certificate_fails_with_the_openssl_conversion_command()
    {
        using var leaf = LeafFromIntermediate(Host);
        var input = new DoctorInput
        {
            CertPath = _dir.Write("cert.der", leaf.RawData),
            KeyPath = _dir.Write("privkey.pem", TestCertificates.KeyPem(leaf)),
            Host = Host,
        };
        var checks = await new TlsCheck(new ManualClock(Now)).RunAsync(input, CancellationToken.None);

        var cert = Single(checks, "tls.cert");
        Assert.Equal(CheckStatus.Fail, cert.Status);
        Assert.Contains("DER", cert.Message);
        Assert.Equal($"file is DER, convert with: openssl x509 -inform der -in {input.CertPath} -out {input.CertPath}.pem (and point ocpp.tls.cert at the .pem)", cert.Fix);
    }

    [Fact]
    public async Task Der_key_fails_with_the_openssl_conversion_command()
    {
        using var leaf = LeafFromIntermediate(Host);
        var input = new DoctorInput
        {
            CertPath = _dir.Write("fullchain.pem", TestCertificates.Pem(leaf, _intermediate)),
            KeyPath = _dir.Write("key.der", leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey()),
            Host = Host,
        };
        var checks = await new TlsCheck(new ManualClock(Now)).RunAsync(input, CancellationToken.None);

        var key = Single(checks, "tls.key");
        Assert.Equal(CheckStatus.Fail, key.Status);
        Assert.Contains("openssl pkey -inform der", key.Fix);
    }

    [Fact]
    public async Task Swapped_cert_and_key_are_recognised()
    {
        using var leaf = LeafFromIntermediate(Host);
        var checks = await RunAsync(TestCertificates.KeyPem(leaf), TestCertificates.Pem(leaf, _intermediate));

        Assert.Contains("swapped", Single(checks, "tls.cert").Fix);
        Assert.Contains("swapped", Single(checks, "tls.key").Fix);
    }

    [Fact]
    public async Task Key_of_another_certificate_fails()
    {
        using var leaf = LeafFromIntermediate(Host);
        using var other = LeafFromIntermediate(Host);
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), TestCertificates.KeyPem(other));

        var match = Single(checks, "tls.key_match");
        Assert.Equal(CheckStatus.Fail, match.Status);
        Assert.Contains("does not belong", match.Message);
    }

    [Fact]
    public async Task Leaf_without_its_intermediate_is_an_incomplete_chain()
    {
        using var leaf = LeafFromIntermediate(Host);
        var checks = await RunAsync(TestCertificates.Pem(leaf), TestCertificates.KeyPem(leaf));

        var chain = Single(checks, "tls.chain");
        Assert.Equal(CheckStatus.Fail, chain.Status);
        Assert.Contains("incomplete chain", chain.Message);
        Assert.Contains("Test Intermediate", chain.Message);
        Assert.Equal("serve fullchain.pem, not cert.pem", chain.Fix);
    }

    [Fact]
    public async Task Expired_certificate_fails()
    {
        using var leaf = TestCertificates.Leaf(_intermediate, Now.AddDays(-100), Now.AddDays(-1), Host);
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), TestCertificates.KeyPem(leaf));

        var expiry = Single(checks, "tls.expiry");
        Assert.Equal(CheckStatus.Fail, expiry.Status);
        Assert.Contains($"expired on {Now.AddDays(-1):yyyy-MM-dd}", expiry.Message);
    }

    [Fact]
    public async Task Certificate_expiring_within_30_days_warns_with_the_days_left()
    {
        using var leaf = TestCertificates.Leaf(_intermediate, Now.AddDays(-60), Now.AddDays(12), Host);
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), TestCertificates.KeyPem(leaf));

        var expiry = Single(checks, "tls.expiry");
        Assert.Equal(CheckStatus.Warn, expiry.Status);
        Assert.Contains("expires in 12 day(s)", expiry.Message);
    }

    [Fact]
    public async Task Self_signed_certificate_warns_that_the_box_needs_a_public_ca()
    {
        using var leaf = TestCertificates.Leaf(null, Now, Host);
        var checks = await RunAsync(TestCertificates.Pem(leaf), TestCertificates.KeyPem(leaf));

        var selfSigned = Single(checks, "tls.self_signed");
        Assert.Equal(CheckStatus.Warn, selfSigned.Status);
        Assert.Contains("a BMW box needs a public CA certificate matching its host name", selfSigned.Fix);
        Assert.DoesNotContain(checks, c => c.Name == "tls.chain");
    }

    [Fact]
    public async Task Host_not_covered_by_the_certificate_fails_listing_the_names_it_covers()
    {
        using var leaf = LeafFromIntermediate("other.example.test", "*.lan.example.test");
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), TestCertificates.KeyPem(leaf));

        var names = Single(checks, "tls.names");
        Assert.Equal(CheckStatus.Fail, names.Status);
        Assert.Contains($"does not cover {Host}", names.Message);
        Assert.Contains("other.example.test, *.lan.example.test", names.Message);
    }

    [Fact]
    public async Task Wildcard_name_covers_a_host_one_label_below()
    {
        using var leaf = LeafFromIntermediate("*.example.test");
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), TestCertificates.KeyPem(leaf));

        Assert.Equal(CheckStatus.Ok, Single(checks, "tls.names").Status);
    }

    [Fact]
    public async Task Bare_ip_host_warns_even_when_the_certificate_covers_it()
    {
        using var leaf = LeafFromIntermediate("192.168.1.5");
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), TestCertificates.KeyPem(leaf), host: "192.168.1.5");

        Assert.Equal(CheckStatus.Ok, Single(checks, "tls.names").Status);
        var ip = Single(checks, "tls.host_ip");
        Assert.Equal(CheckStatus.Warn, ip.Status);
        Assert.Contains("DNS name", ip.Fix);
    }

    [Fact]
    public async Task Without_a_host_the_covered_names_are_listed_as_info()
    {
        using var leaf = LeafFromIntermediate(Host);
        var checks = await RunAsync(TestCertificates.Pem(leaf, _intermediate), TestCertificates.KeyPem(leaf), host: null);

        var names = Single(checks, "tls.names");
        Assert.Equal(CheckStatus.Info, names.Status);
        Assert.Contains(Host, names.Message);
        Assert.Contains("--host", names.Fix);
    }

    [Fact]
    public async Task Text_file_that_is_no_certificate_fails()
    {
        using var leaf = LeafFromIntermediate(Host);
        var checks = await RunAsync("hello", TestCertificates.KeyPem(leaf));

        var cert = Single(checks, "tls.cert");
        Assert.Equal(CheckStatus.Fail, cert.Status);
        Assert.Contains("not a PEM certificate", cert.Message);
    }
}
