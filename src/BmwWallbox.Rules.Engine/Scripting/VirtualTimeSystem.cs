using System.Globalization;
using Jint.Runtime;

namespace BmwWallbox.Rules.Engine.Scripting;

/// <summary>Makes <c>Date.now()</c> and <c>new Date()</c> in scripts follow the injected clock and time zone.</summary>
internal sealed class VirtualTimeSystem(TimeProvider time, TimeZoneInfo zone) : DefaultTimeSystem(zone, CultureInfo.InvariantCulture)
{
    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();
}
