using System.Text.Json;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules validate</c>: every problem of config and rules, exit 0 only when valid.</summary>
public static class ValidateCommand
{
    public static Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        var result = ConfigLoader.Load(line.Config);
        var rules = result.Config is null ? [] : RuleValidation.Check(result);
        var problems = result.Problems.Concat(rules).OrderBy(p => p.File).ThenBy(p => p.Line).ThenBy(p => p.Column).ToList();
        var ok = problems.All(p => p.Severity != Severity.Error);
        if (line.Has("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                valid = ok,
                problems = problems.Select(p => new { file = p.File, line = p.Line, column = p.Column, severity = p.Severity.ToString().ToLowerInvariant(), message = p.Message, hint = p.Hint }),
            }, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
        }
        else
        {
            foreach (var p in problems) Console.WriteLine(p);
            var errors = problems.Count(p => p.Severity == Severity.Error);
            Console.WriteLine(ok
                ? $"✔ {line.Config} is valid{(problems.Count > 0 ? $" ({problems.Count} warning(s))" : "")}"
                : $"✘ {errors} error(s) in {line.Config}");
        }
        return Task.FromResult(ok ? ExitCodes.Ok : ExitCodes.Config);
    }
}
