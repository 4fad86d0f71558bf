namespace BmwWallbox.Ocpp;

/// <summary>One station read from <c>ocpp.password_file</c>, with the line it came from.</summary>
public sealed record StationFileEntry(StationOptions Station, int Line);

/// <summary>A line of <c>ocpp.password_file</c> that cannot be used: 1-based line and column.</summary>
public sealed record StationFileProblem(int Line, int Column, string Message, string? Hint = null);

/// <summary>
/// The password file of a site with many boxes: one station a line, <c>id password [name]</c>, separated by spaces or
/// tabs; blank lines and lines starting with '#' are skipped. Without a name, it is derived from the id
/// (<see cref="StationNames.FromId"/>). Each line is checked as a station under <c>ocpp.stations</c> is.
/// </summary>
public static class StationFile
{
    public const string Format = "one station a line: <id> <password> [<name>], separated by spaces; '#' starts a comment line";

    public static (IReadOnlyList<StationFileEntry> Entries, IReadOnlyList<StationFileProblem> Problems) Parse(string text)
    {
        var entries = new List<StationFileEntry>();
        var problems = new List<StationFileProblem>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var number = i + 1;
            var fields = Fields(line);
            if (fields.Count == 0 || fields[0].Text.StartsWith('#')) continue;
            if (fields.Count is < 2 or > 3)
            {
                problems.Add(new StationFileProblem(number, fields[0].Column, $"expected '<id> <password> [<name>]', found {fields.Count} field(s)", Format));
                continue;
            }
            var (id, password) = (fields[0], fields[1]);
            var name = fields.Count == 3 ? fields[2] : (Text: StationNames.FromId(id.Text), Column: id.Column);
            var ok = true;
            void Problem(int column, string message, string? hint = null)
            {
                problems.Add(new StationFileProblem(number, column, message, hint));
                ok = false;
            }
            if (!OcppOptions.IsValidStationId(id.Text)) Problem(id.Column, $"station id '{id.Text}' is invalid", OcppOptions.StationIdRule);
            else if (ids.TryGetValue(id.Text, out var first)) Problem(id.Column, $"station id '{id.Text}' is listed twice (first on line {first})");
            if (!OcppOptions.IsValidPassword(password.Text))
                Problem(password.Column, $"the password of station '{id.Text}' has {password.Text.Length} characters", "OCPP 2.0.1 passwords have 16–40 characters");
            if (!IsSlug(name.Text)) Problem(name.Column, $"station name '{name.Text}' is not topic-safe", "use lower-case letters, digits, '-' and '_' only");
            else if (names.TryGetValue(name.Text, out var other))
                Problem(name.Column, $"station name '{name.Text}' is used twice (first on line {other})", fields.Count == 3 ? null : "two ids give this name; write a name as the third field");
            if (!ok) continue;
            ids[id.Text] = number;
            names[name.Text] = number;
            entries.Add(new StationFileEntry(new StationOptions { Id = id.Text, Password = password.Text, Name = name.Text }, number));
        }
        return (entries, problems);
    }

    /// <summary>The same rule as a name under ocpp.stations: lower-case letters, digits, '-' and '_', not starting with '-' or '_'.</summary>
    public static bool IsSlug(string name)
        => name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0]))
           && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    private static List<(string Text, int Column)> Fields(string line)
    {
        var fields = new List<(string, int)>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is ' ' or '\t') i++;
            var start = i;
            while (i < line.Length && line[i] is not (' ' or '\t')) i++;
            if (i > start) fields.Add((line[start..i], start + 1));
        }
        return fields;
    }
}
