using Microsoft.Extensions.Logging;

namespace BmwWallbox.Composition;

/// <summary>One step of a shutdown: its failure is logged, not thrown, so the parts after it still stop.</summary>
internal static class StopStep
{
    public static async Task RunAsync(Func<Task> stop, string part, ILogger logger)
    {
        try { await stop(); }
        catch (Exception e) { logger.LogWarning(e, "Stopping the {Part} failed", part); }
    }
}
