using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// Escapes control characters (CR, LF, ESC, …) in logged text values, so text that came from outside
/// (a URL path, a field a station sent, an MQTT payload) cannot forge log lines or send terminal
/// escapes. Only plain string properties need it: the <c>{Message:lj}</c> template writes them
/// literally, while structures and sequences are written as JSON, which escapes them already.
/// </summary>
internal sealed class ControlCharacterEscaper : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (value is ScalarValue { Value: string text } && text.Any(char.IsControl))
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Escape(text))));
        }
    }

    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }
}
