namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules run</c>: the daemon.</summary>
public static class RunCommand
{
    public static Task<int> RunAsync(CommandLine line, CancellationToken ct) => Task.FromResult(ExitCodes.Failure);
}
