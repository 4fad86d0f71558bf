using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules validate</c>: every problem of config and rules, exit 0 only when valid.</summary>
public static class ValidateCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.OutputEncoding = Encoding.UTF8;
        return Task.FromResult(Run(line, Console.Out));
    }

    internal static int Run(CommandLine line, TextWriter output)
    {
        var result = ConfigLoader.Load(line.Config);
        var rules = result.Config is null ? [] : RuleValidation.Check(result);
        var problems = result.Problems.Concat(rules).OrderBy(p => p.File).ThenBy(p => p.Line).ThenBy(p => p.Column).ToList();
        var ok = problems.All(p => p.Severity != Severity.Error);
        if (line.Has("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                valid = ok,
                problems = problems.Select(p => new { file = p.File, line = p.Line, column = p.Column, severity = p.Severity.ToString().ToLowerInvariant(), message = p.Message, hint = p.Hint }),
            }, Json));
        }
        else
        {
            foreach (var p in problems) output.WriteLine(p);
            var errors = problems.Count(p => p.Severity == Severity.Error);
            output.WriteLine(ok
                ? $"✔ {line.Config} is valid{(problems.Count > 0 ? $" ({problems.Count} warning(s))" : "")}"
                : $"✘ {errors} error(s) in {line.Config}");
        }
        return ok ? ExitCodes.Ok : ExitCodes.Config;
    }
}
