using System.Globalization;
using BmwWallbox.Core;
using BmwWallbox.Rules.Cli;

namespace BmwWallbox.Rules.Demo;

/// <summary>The options of <c>bmw-rules demo</c>.</summary>
internal sealed record DemoOptions
{
    public const double MaxSpeed = 20_000;

    /// <summary>Virtual seconds per real second: 360 plays a day in 4 minutes.</summary>
    public double Speed { get; init; } = 360;
    /// <summary>Time of day the demo day starts at (before sunrise, so the solar rule pauses at once).</summary>
    public TimeOnly Start { get; init; } = new(6, 0);
    /// <summary>Stop after this much real time; null = until Ctrl+C.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>Stop after this many virtual days; null = until Ctrl+C.</summary>
    public double? Days { get; init; }
    /// <summary>OCPP port; 0 = any free port.</summary>
    public int Port { get; init; }
    /// <summary>Embedded MQTT broker port; 0 = any free port.</summary>
    public int MqttPort { get; init; }
    /// <summary>Show the daemon's Information logs on stderr (default: warnings only).</summary>
    public bool Verbose { get; init; }
    /// <summary>Highlight rule lines with ANSI colours (set by the command for a terminal without --no-color).</summary>
    public bool Color { get; init; }

    /// <summary>Reads the options from the command line; a bad value gives an error text and no options.</summary>
    public static (DemoOptions? Options, string? Error) Parse(CommandLine line)
    {
        if (line.Get("config") is not null)
            return (null, "demo builds its own config in memory and does not read --config; use 'bmw-rules run --config ...' for yours");

        var options = new DemoOptions { Verbose = line.Has("verbose") };
        if (line.Get("speed") is { } speed)
        {
            if (!double.TryParse(speed, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || !(s >= 1 && s <= MaxSpeed))
                return (null, $"--speed must be a number from 1 to {MaxSpeed} (virtual seconds per real second), got '{speed}'");
            options = options with { Speed = s };
        }
        if (line.Get("start") is { } start)
        {
            if (!TimeOnly.TryParseExact(start, "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
                return (null, $"--start must be a time of day like 06:00, got '{start}'");
            options = options with { Start = t };
        }
        if (line.Get("duration") is { } duration)
        {
            if (!Durations.TryParse(duration, out var d) || d <= TimeSpan.Zero)
                return (null, $"--duration must be a positive duration like 90s or 5m (real time), got '{duration}'");
            options = options with { Duration = d };
        }
        if (line.Get("days") is { } days)
        {
            if (!double.TryParse(days, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n > 0 && n <= 366))
                return (null, $"--days must be a number of virtual days above 0 (e.g. 1 or 0.5), got '{days}'");
            options = options with { Days = n };
        }
        foreach (var (name, apply) in new (string, Func<DemoOptions, int, DemoOptions>)[]
                 { ("port", (o, p) => o with { Port = p }), ("mqtt-port", (o, p) => o with { MqttPort = p }) })
        {
            if (line.Get(name) is not { } text) continue;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                return (null, $"--{name} must be a TCP port (0-65535; 0 = any free port), got '{text}'");
            options = apply(options, port);
        }
        return (options, null);
    }
}
