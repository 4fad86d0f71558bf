using System.Net;
using System.Net.Sockets;

namespace BmwWallbox.TestKit;

public static class FreePort
{
    /// <summary>A loopback port the OS just handed out, for servers that must be told a port (prefer port 0 where they can).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
