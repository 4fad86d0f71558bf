using System.Net;
using System.Net.Sockets;

namespace BmwWallbox.TestKit;

public static class FreePort
{
    // Below Linux's ephemeral range (32768–60999 by default), where the OS picks the local port of every
    // outgoing connection: a port handed out from that range can be taken by another test's connection
    // before the server binds it (seen in CI). Here only a server told the port binds it.
    private const int First = 20000;
    private const int Count = 12000;
    private static int _next = Random.Shared.Next(Count); // a random start: test processes run side by side

    /// <summary>A loopback port that was free just now, for servers that must be told a port (prefer port 0 where they can).</summary>
    public static int Next()
    {
        for (var tries = 0; tries < Count; tries++)
        {
            var port = First + Interlocked.Increment(ref _next) % Count;
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"No free loopback port in {First}–{First + Count - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
