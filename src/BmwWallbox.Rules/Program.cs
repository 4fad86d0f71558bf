using BmwWallbox.Rules.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return await Verbs.RunAsync(args, cancel.Token);
