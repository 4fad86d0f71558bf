namespace BmwWallbox.Rules.Cli;

/// <summary>A parsed command line: the verb, its --options and positional arguments.</summary>
public sealed record CommandLine(string Verb, IReadOnlyDictionary<string, string> Options, IReadOnlySet<string> Flags)
{
    /// <summary>Options that take no value.</summary>
    private static readonly HashSet<string> KnownFlags = ["help", "json", "version", "no-color", "quiet", "verbose"];

    public string Config => Options.GetValueOrDefault("config", "config.yaml");
    public bool Has(string flag) => Flags.Contains(flag);
    public string? Get(string option) => Options.GetValueOrDefault(option);

    /// <summary>Parses "verb --key value --flag". Returns an error text instead of throwing.</summary>
    public static (CommandLine? Line, string? Error) Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string? verb = null;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "-h" or "--help") { flags.Add("help"); continue; }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var name = a[2..];
                string? value = null;
                var eq = name.IndexOf('=');
                if (eq >= 0) (name, value) = (name[..eq], name[(eq + 1)..]);
                if (KnownFlags.Contains(name) && value is null) { flags.Add(name); continue; }
                if (value is null)
                {
                    if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                        return (null, $"option --{name} needs a value");
                    value = args[++i];
                }
                options[name] = value;
                continue;
            }
            if (verb is null) { verb = a; continue; }
            return (null, $"unexpected argument '{a}'");
        }
        return (new CommandLine(verb ?? "", options, flags), null);
    }
}
