namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules simulate</c> (being written).</summary>
public static class SimulateCommand
{
    public const string Help = "Usage: bmw-rules simulate (not available yet)";

    public static Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.Error.WriteLine("bmw-rules: simulate is not available yet");
        return Task.FromResult(ExitCodes.Failure);
    }
}
