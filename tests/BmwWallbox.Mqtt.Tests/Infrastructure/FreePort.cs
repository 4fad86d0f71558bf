using System.Net;
using System.Net.Sockets;

namespace BmwWallbox.Mqtt.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port the OS just handed out (for brokers that must be told a port).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
