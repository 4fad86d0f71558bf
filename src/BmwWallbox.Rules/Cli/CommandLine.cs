namespace BmwWallbox.Rules.Cli;

/// <summary>A parsed command line as the verbs read it: the verb, its --options with values, and its flags.</summary>
internal sealed record CommandLine(string Verb, IReadOnlyDictionary<string, string> Options, IReadOnlySet<string> Flags)
{
    public string Config => Options.GetValueOrDefault("config", "config.yaml");
    public bool Has(string flag) => Flags.Contains(flag);
    public string? Get(string option) => Options.GetValueOrDefault(option);

    /// <summary>Parses "verb --key value --flag" with the verbs' definitions (<see cref="Verbs"/>). Returns an error text instead of throwing.</summary>
    public static (CommandLine? Line, string? Error) Parse(string[] args)
    {
        var parsed = Verbs.Parse(args);
        return Verbs.Problem(parsed) is { } problem ? (null, problem) : (Verbs.ToLine(parsed), null);
    }
}
