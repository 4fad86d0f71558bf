using Microsoft.Extensions.Logging;

namespace BmwWallbox.TestKit.Logging;

/// <summary>One log call: when (on the rig's clock), its category (the logger's type name, without namespace), level, formatted message, exception and structured properties.</summary>
public sealed record LogEntry(DateTimeOffset Time, string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Properties);
