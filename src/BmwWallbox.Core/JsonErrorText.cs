using System.Text.Json;

namespace BmwWallbox.Core;

/// <summary>
/// A System.Text.Json error in a person's words: "'x' is an invalid start of a value (line 1, column 7)"
/// instead of "… LineNumber: 0 | BytePositionInLine: 6." (zero-based, and a line break of the input
/// inside it when the bad token spans lines).
/// </summary>
public static class JsonErrorText
{
    public static string Of(JsonException e)
    {
        var message = e.Message;
        foreach (var tail in (ReadOnlySpan<string>)[" Path:", " LineNumber:"])
        {
            var at = message.IndexOf(tail, StringComparison.Ordinal);
            if (at >= 0) message = message[..at];
        }
        message = message.TrimEnd().TrimEnd('.').ReplaceLineEndings(" ");
        var where = new List<string>(3);
        if (!string.IsNullOrEmpty(e.Path) && e.Path != "$") where.Add($"at {e.Path}");
        if (e.LineNumber is { } line) where.Add($"line {line + 1}");
        if (e.BytePositionInLine is { } column) where.Add($"column {column + 1}");
        return where.Count == 0 ? message : $"{message} ({string.Join(", ", where)})";
    }
}
