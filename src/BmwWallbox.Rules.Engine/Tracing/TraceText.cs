
namespace BmwWallbox.Rules.Engine.Tracing;

/// <summary>
/// Keeps text from outside (MQTT payloads, script output) short in traces and logs: a trace is published
/// retained, so a megabyte payload quoted in full would be a megabyte on the broker for every run.
/// </summary>
internal static class TraceText
{
    /// <summary>Characters of a trigger value or an action message kept in a trace.</summary>
    public const int MaxQuoted = 1024;

    /// <summary>The text itself if short, else its first <paramref name="max"/> characters and its full length.</summary>
    public static string Quote(string text, int max = MaxQuoted) =>
        text.Length <= max ? text : $"{text[..max]}… ({text.Length} characters)";
}
