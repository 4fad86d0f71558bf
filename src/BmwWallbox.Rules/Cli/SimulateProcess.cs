using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BmwWallbox.Rules.Cli;

/// <summary>
/// <c>bmw-rules simulate</c> runs in a child process with the runtime's dynamic PGO off (<c>DOTNET_TieredPGO=0</c>).
/// A run is over in seconds, and first compiling its hot methods once more with counters in them (what dynamic
/// PGO does before it optimizes) took about a third of the CPU of a simulated year, which the faster code never
/// paid back; the results are the same either way. The child also counts calls for the optimizing tier from the start
/// (<c>DOTNET_TC_CallCountingDelayMs=0</c>): by default the runtime waits until no new method has been compiled for
/// 100 ms, and a simulation meets new code paths for its first seconds (the first plug-in, the first pause), so its
/// hot methods ran unoptimized that much longer. It optimizes a method after 300 calls rather than 30
/// (<c>DOTNET_TC_CallCountThreshold=300</c>): the code of the start (config, rules, the data file) calls many methods a few
/// dozen times and never again, and compiling those once more cost about 5 % of the CPU of a year; the hot ones are called
/// millions of times either way. The runtime reads these settings only as it starts, and the daemon
/// keeps its defaults, so only this verb starts itself again. With <c>DOTNET_TieredPGO</c> already set (0 or 1) it
/// runs as it is, in this process.
/// </summary>
internal static class SimulateProcess
{
    private const string PgoVariable = "DOTNET_TieredPGO";
    private const string CallCountingDelayVariable = "DOTNET_TC_CallCountingDelayMs";
    private const string CallCountThresholdVariable = "DOTNET_TC_CallCountThreshold";

    /// <summary>How long a child told to stop (Ctrl+C reaches it too) may take to say so before it is ended.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>The simulate verb, with the setting not chosen by whoever started us; never in the Native AOT build (no JIT, no PGO).</summary>
    public static bool Applies(string[] args) =>
        args is ["simulate", ..] && Environment.GetEnvironmentVariable(PgoVariable) is null && Environment.ProcessPath is not null
        && RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>Runs the same command line in a child with PGO off (same console, folder and environment otherwise); its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Under `dotnet bmw-rules.dll` the host needs the program again; the bmw-rules executable does not.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet"
            && Path.Combine(AppContext.BaseDirectory, $"{typeof(SimulateProcess).Assembly.GetName().Name}.dll") is var program && File.Exists(program))
            start.ArgumentList.Add(program);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment[PgoVariable] = "0";
        // Unless chosen by whoever started us (to measure them).
        if (Environment.GetEnvironmentVariable(CallCountingDelayVariable) is null) start.Environment[CallCountingDelayVariable] = "0";
        if (Environment.GetEnvironmentVariable(CallCountThresholdVariable) is null) start.Environment[CallCountThresholdVariable] = "300";

        using var child = Process.Start(start) ?? throw new InvalidOperationException("cannot start bmw-rules simulate");
        // Ended from outside (a service manager, a test's kill): the child goes too instead of running on alone.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => End(child));
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => End(child));
        try
        {
            await child.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C reaches the child as well, which stops and says so; one that does not is ended.
            using var grace = new CancellationTokenSource(StopGrace);
            try { await child.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { End(child); await child.WaitForExitAsync(CancellationToken.None); }
        }
        return child.ExitCode;
    }

    private static void End(Process child)
    {
        try { child.Kill(); }
        catch (InvalidOperationException) { } // already gone
    }
}
