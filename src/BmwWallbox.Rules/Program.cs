using BmwWallbox.Rules.Cli;

var (line, error) = CommandLine.Parse(args);
if (line is null)
{
    Console.Error.WriteLine($"bmw-rules: {error}. See 'bmw-rules --help'.");
    return ExitCodes.Usage;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return await Verbs.RunAsync(line, cancel.Token);
