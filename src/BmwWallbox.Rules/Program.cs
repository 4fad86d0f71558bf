using BmwWallbox.Rules.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
// simulate runs in a child with dynamic PGO off (see SimulateProcess): a third less CPU for a year.
if (SimulateProcess.Applies(args)) return await SimulateProcess.RunAsync(args, cancel.Token);
return await Verbs.RunAsync(args, cancel.Token);
