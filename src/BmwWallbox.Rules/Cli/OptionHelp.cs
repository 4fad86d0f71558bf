namespace BmwWallbox.Rules.Cli;

/// <summary>An option that takes a value, as a verb declares it: <c>--Name HelpName</c>  Description.</summary>
internal sealed record OptionHelp(string Name, string HelpName, string Description);
