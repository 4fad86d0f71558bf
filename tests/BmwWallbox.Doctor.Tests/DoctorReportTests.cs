using System.Text.Json;

namespace BmwWallbox.Doctor.Tests;

public sealed class DoctorReportTests
{
    private static readonly DoctorReport Report = new(
    [
        new DoctorCheck(1, "config", CheckStatus.Ok, "config.yaml loads and validates"),
        new DoctorCheck(2, "tls.chain", CheckStatus.Fail, "incomplete chain", "serve fullchain.pem, not cert.pem"),
        new DoctorCheck(2, "tls.expiry", CheckStatus.Warn, "expires in 3 day(s)", "renew it"),
        new DoctorCheck(4, "url", CheckStatus.Info, "garage: wss://h:9000/s1"),
    ]);

    [Fact]
    public void Text_has_one_line_per_check_with_the_fix_indented_under_it()
    {
        var lines = Report.ToText().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal(
        [
            "1. Config",
            "   ✔ config.yaml loads and validates",
            "2. TLS certificate",
            "   ✘ incomplete chain",
            "       fix: serve fullchain.pem, not cert.pem",
            "   ⚠ expires in 3 day(s)",
            "       fix: renew it",
            "4. Wallbox URL (installer app)",
            "   ℹ garage: wss://h:9000/s1",
            "",
        ], lines.Take(10));
        Assert.Contains("1 ✘, 1 ⚠", lines[10]);
    }

    [Fact]
    public void A_failure_gives_exit_code_1_and_warnings_alone_give_0()
    {
        Assert.Equal(1, Report.ExitCode);
        Assert.Equal(0, new DoctorReport(Report.Checks.Where(c => c.Status != CheckStatus.Fail).ToList()).ExitCode);
    }

    [Fact]
    public void Json_lists_every_check_in_snake_case_with_status_names()
    {
        using var json = JsonDocument.Parse(Report.ToJson());
        var root = json.RootElement;

        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal(1, root.GetProperty("exit_code").GetInt32());
        var chain = root.GetProperty("checks")[1];
        Assert.Equal(2, chain.GetProperty("step").GetInt32());
        Assert.Equal("tls.chain", chain.GetProperty("name").GetString());
        Assert.Equal("Fail", chain.GetProperty("status").GetString());
        Assert.Equal("serve fullchain.pem, not cert.pem", chain.GetProperty("fix").GetString());
    }
}
