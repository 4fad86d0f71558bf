using BmwWallbox.Core;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules validate</c>: every problem of config and rules, exit 0 only when valid.</summary>
internal static class ValidateCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A problem in --json; a problem without a hint has no hint key.</summary>
    private static JsonObject Json(Problem p)
    {
        var json = new JsonObject
        {
            ["file"] = p.File, ["line"] = p.Line, ["column"] = p.Column, ["severity"] = p.Severity.ToString().ToLowerInvariant(), ["message"] = p.Message,
        };
        if (p.Hint is not null) json["hint"] = p.Hint;
        return json;
    }

    public static Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.OutputEncoding = Encoding.UTF8;
        return Task.FromResult(Run(line, Console.Out));
    }

    internal static int Run(CommandLine line, TextWriter output)
    {
        var result = ConfigLoader.Load(line.Config);
        var files = result.Config is null ? [] : RuleValidation.Check(result).Concat(TlsFileValidation.Check(result));
        var problems = InFileOrder(result.Problems.Concat(files), line.Config);
        var ok = problems.All(p => p.Severity != Severity.Error);
        if (line.Has("json"))
        {
            output.WriteLine(new JsonObject
            {
                ["valid"] = ok,
                ["problems"] = new JsonArray([.. problems.Select(p => Json(p))]),
            }.ToJsonString(Indented));
        }
        else
        {
            foreach (var p in problems) output.WriteLine(p);
            var errors = problems.Where(p => p.Severity == Severity.Error).ToList();
            output.WriteLine(ok
                ? $"✔ {line.Config} is valid{(problems.Count > 0 ? $" ({problems.Count} warning(s))" : "")}"
                : $"✘ {errors.Count} error(s): {PerFile(errors, result)}");
            foreach (var warning in PlaceholderPasswordWarnings(result)) output.WriteLine(warning);
        }
        return ok ? ExitCodes.Ok : ExitCodes.Config;
    }

    /// <summary>
    /// Problems as a reader meets them: by file, then line and column (validate and run list them alike). A config
    /// named relative to the current folder has its rule files named so too, not by their full path.
    /// </summary>
    internal static List<Problem> InFileOrder(IEnumerable<Problem> problems, string configPath, string? currentFolder = null) =>
        problems.Select(p => Path.IsPathRooted(configPath) ? p : p.RelativeTo(currentFolder ?? Environment.CurrentDirectory))
            .OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column).ToList();

    /// <summary>"3 in rules/a.yaml, 1 in config.yaml": where to look, relative to the config's folder.</summary>
    private static string PerFile(IEnumerable<Problem> errors, ConfigResult config) =>
        string.Join(", ", errors.GroupBy(p => p.File).Select(g => $"{g.Count()} in {Path.GetRelativePath(config.ConfigDirectory, Path.GetFullPath(g.Key))}"));

    /// <summary>One line per station still on the shipped placeholder password, impossible to overlook (validate and run print it last).</summary>
    internal static IEnumerable<string> PlaceholderPasswordWarnings(ConfigResult config) =>
        (config.Config?.Ocpp.Stations ?? []).Where(s => s.Password == ConfigChecks.PlaceholderPassword).Select(s =>
            $"⚠ WARNING: station '{s.Id}' uses the placeholder password from the shipped config.yaml. Anyone on your network who has read it can log in as your wallbox: set ocpp.stations[].password to the password you enter in the BMW installer app.");
}
