using System.Text;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Quotes outside input (a payload, a topic level) in results and logs: a short prefix only, with
/// control characters escaped, so a 10 MiB payload or a newline cannot flood or forge a log line.
/// </summary>
internal static class ShortQuote
{
    public const int MaxLength = 40;

    public static string Of(string text)
    {
        var quoted = new StringBuilder(Math.Min(text.Length, MaxLength) + 8);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            if (char.IsControl(c)) quoted.Append($"\\u{(int)c:x4}");
            else quoted.Append(c);
        }
        if (text.Length > MaxLength) quoted.Append('…');
        return quoted.ToString();
    }
}
