using System.Diagnostics;

namespace BmwWallbox.Rules.Tests.Cli;

/// <summary>The built bmw-rules as a user runs it: its own process, its own console, its exit code.</summary>
internal static class BmwRulesProcess
{
    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public string All => Out + Err;
    }

    /// <summary>Runs <c>dotnet bmw-rules.dll args</c> in <paramref name="workDir"/> until it exits (60 s guard against a hang).</summary>
    public static async Task<Result> RunAsync(string workDir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bmw-rules.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TestTimeouts.Long); // failure guard only
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
