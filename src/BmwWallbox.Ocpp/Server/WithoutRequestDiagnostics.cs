using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// The logger factory Kestrel's host gets: the caller's, without ASP.NET Core's request diagnostics
/// ("Request starting …", "Request finished …", Information). While that category can log, the host starts an
/// Activity and a logging scope for every request, and a station's one request is its WebSocket: both lived as long
/// as the connection (about 1 KB per station). The stations' connects and disconnects are logged by
/// <see cref="StationEndpoint"/>; Kestrel's own category (refused connections, TLS problems) is unchanged.
/// </summary>
internal sealed class WithoutRequestDiagnostics(ILoggerFactory inner) : ILoggerFactory
{
    private const string RequestDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName)
        => categoryName == RequestDiagnostics ? NullLogger.Instance : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The inner factory is the caller's: it outlives the host.
    }
}
