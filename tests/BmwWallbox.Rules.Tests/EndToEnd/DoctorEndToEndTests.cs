using BmwWallbox.Doctor;
using BmwWallbox.Doctor.Tests;
using BmwWallbox.Rules.Cli;
using Xunit.Abstractions;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>Issue "bmw-rules doctor": a healthy setup with the simulated wallbox connected is all ✔.</summary>
public class DoctorEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Healthy_setup_with_the_simulated_box_connected_passes_every_check()
    {
        var certDir = Directory.CreateTempSubdirectory("bmw-e2e-tls-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var root = TestCertificates.Ca("E2E Root", now);
        using var intermediate = TestCertificates.Ca("E2E Intermediate", now, root);
        using var leaf = TestCertificates.Leaf(intermediate, now, "localhost");
        var cert = Path.Combine(certDir, "fullchain.pem");
        var key = Path.Combine(certDir, "privkey.pem");
        await File.WriteAllTextAsync(cert, TestCertificates.Pem(leaf, intermediate));
        await File.WriteAllTextAsync(key, TestCertificates.KeyPem(leaf));
        try
        {
            await using var h = await DaemonHarness.StartAsync(tlsYaml: $"tls: {{ cert: \"{cert}\", key: \"{key}\", self_signed: false }}");
            await h.ConnectBoxAsync();
            await h.Daemon.WriteStatusAsync();

            var input = DoctorCommand.InputFrom(h.Daemon.Config, "config.yaml", "localhost") with { Port = h.OcppPort };
            var report = await new DoctorRunner(h.Time).RunAsync(input, CancellationToken.None).WaitAsync(DaemonHarness.Timeout);
            output.WriteLine(report.ToText());

            Assert.Equal(0, report.ExitCode);
            Assert.DoesNotContain(report.Checks, c => c.Status is CheckStatus.Fail or CheckStatus.Warn);
            Assert.Contains(report.Checks, c => c.Name.StartsWith("live", StringComparison.Ordinal) && c.Status == CheckStatus.Ok);
        }
        finally
        {
            Directory.Delete(certDir, recursive: true);
        }
    }
}
