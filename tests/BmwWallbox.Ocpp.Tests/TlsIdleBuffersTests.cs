using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using BmwWallbox.Ocpp.Server;
using BmwWallbox.TestKit.Certificates;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>OpenSSL frees an idle connection's record buffers; the connection works as before.</summary>
public sealed class TlsIdleBuffersTests
{
    [Fact]
    public async Task A_server_connection_releases_its_buffers_when_idle_and_still_carries_data_both_ways()
    {
        using var certificate = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "localhost");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        await using var server = new SslStream(accepted.GetStream());
        await using var station = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }),
            station.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }));

        Assert.True(TlsIdleBuffers.Release(server));

        Assert.Equal(TlsIdleBuffers.ReleaseBuffers, TlsIdleBuffers.Ctrl(server, 0) & TlsIdleBuffers.ReleaseBuffers);
        await AssertCarriesAsync(station, server, "[2,\"1\",\"Heartbeat\",{}]");
        await AssertCarriesAsync(server, station, "[3,\"1\",{\"currentTime\":\"2026-06-01T12:00:00Z\"}]");
        await AssertCarriesAsync(station, server, new string('x', 40_000)); // more than one TLS record
    }

    private static async Task AssertCarriesAsync(SslStream from, SslStream to, string text)
    {
        var sent = System.Text.Encoding.UTF8.GetBytes(text);
        await from.WriteAsync(sent);
        var received = new byte[sent.Length];
        await to.ReadExactlyAsync(received).AsTask().WaitAsync(TestTimeouts.Guard);
        Assert.Equal(sent, received);
    }
}
