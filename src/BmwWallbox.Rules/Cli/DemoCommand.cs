namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules demo</c> (being written).</summary>
public static class DemoCommand
{
    public const string Help = "Usage: bmw-rules demo (not available yet)";

    public static Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.Error.WriteLine("bmw-rules: demo is not available yet");
        return Task.FromResult(ExitCodes.Failure);
    }
}
