using System.Diagnostics;
using BmwWallbox.Rules.Demo;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>
/// Issue 10 item 1: nothing a rule script does may take the process down. Runs the built daemon as its own
/// process (a native stack overflow cannot be caught, so only a real process shows it survives).
/// </summary>
public sealed class ScriptCrashProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-crash-").FullName;

    [Fact]
    public async Task A_rule_stringifying_a_very_deep_object_is_an_error_and_the_daemon_keeps_running()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "rules", "deep.yaml"), """
            - id: deep
              when: [startup, { every: 1s }]
              then:
                - script: |
                    let o = {};
                    for (let i = 0; i < 30000; i++) o = { a: o };
                    log.info(JSON.stringify(o).length);
            """);
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.yaml"), $$"""
            ocpp:
              port: 0
              bind: 127.0.0.1
              tls: { cert: cert.pem, key: key.pem, self_signed: true }
              stations:
                - { id: "DE*BMW*CRASH", password: "crash-test-password-0123", name: garage }
            mqtt:
              port: {{FreePort.Next()}}
            http:
              port: 0
            # Building the 30,000 levels takes long on a busy machine: the script must overflow the stack, not run out of time.
            rules:
              scripts: { timeout: 60s }
            time_zone: Europe/Berlin
            """);

        using var daemon = Start("run", "--config", Path.Combine(_dir, "config.yaml"));
        try
        {
            await ExpectSurvivalAsync(daemon);
        }
        finally
        {
            if (!daemon.HasExited) daemon.Kill(entireProcessTree: true);
        }
    }

    private static async Task ExpectSurvivalAsync(Process daemon)
    {
        var stderr = daemon.StandardError.ReadToEndAsync();
        // Two failed runs: the first did not take the process down, and the rule still runs after it.
        for (var failures = 0; failures < 2;)
        {
            var line = await daemon.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Long)
                ?? throw new Xunit.Sdk.XunitException($"the daemon ended (exit {await ExitCodeAsync(daemon)}): {(await stderr).Split('\n')[0]}");
            if (line.Contains("Rule deep: script failed", StringComparison.Ordinal))
            {
                Assert.Contains("Maximum call stack size exceeded", line);
                failures++;
            }
        }

        Assert.False(daemon.HasExited);
        using (var term = Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
        var rest = await daemon.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeouts.Long);
        Assert.Equal(0, await ExitCodeAsync(daemon));
        Assert.Contains("Stopped cleanly", rest);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bmw-rules.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static async Task<int> ExitCodeAsync(Process process)
    {
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Long);
        return process.ExitCode;
    }
}
