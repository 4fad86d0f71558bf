using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Ocpp.Server;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Ocpp.Tests.Support;

/// <summary>A real OcppServer on 127.0.0.1, port 0, with TLS from a generated certificate.</summary>
internal sealed class OcppTestServer : IAsyncDisposable
{
    public const string StationId = "DE*BMW*E1TEST";
    public const string Password = "correct-horse-battery-42";

    private OcppTestServer(OcppServer server, TestLogs logs, ServerCertificate? certificate, OcppOptions options)
    {
        Server = server;
        Logs = logs;
        Certificate = certificate;
        Options = options;
    }

    public OcppServer Server { get; }
    /// <summary>The server's logs; an error it logs fails the test unless declared (<see cref="TestLogs.AllowErrors"/>).</summary>
    public TestLogs Logs { get; }
    public ServerCertificate? Certificate { get; }
    public OcppOptions Options { get; }
    public int Port => Server.Ports[0];

    public static async Task<OcppTestServer> StartAsync(
        Func<OcppOptions, OcppOptions>? configure = null,
        TimeProvider? time = null,
        ServerCertificate? certificate = null,
        StationApprovals? approvals = null)
    {
        time ??= TimeProvider.System;
        var options = new OcppOptions
        {
            Port = 0,
            Bind = "127.0.0.1",
            Stations = [new StationOptions { Id = StationId, Password = Password, Name = "garage" }],
            CommandTimeout = TimeSpan.FromSeconds(15),
        };
        options = configure?.Invoke(options) ?? options;
        certificate ??= options.AllowInsecure ? null : ServerCertificate.CreateSelfSigned(time);
        var logs = new TestLogs();
        var server = new OcppServer(options, certificate, logs, time, approvals);
        await server.StartAsync(CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        return new OcppTestServer(server, logs, certificate, options);
    }

    public Uri Url(string? path = null)
        => new($"{(Options.AllowInsecure ? "ws" : "wss")}://127.0.0.1:{Port}/{path ?? Uri.EscapeDataString(StationId)}");

    /// <summary>A ClientWebSocket that trusts exactly our certificate (no other validation: it is self-signed).</summary>
    public ClientWebSocket CreateClient(string? user = StationId, string? password = Password, params string[] subProtocols)
    {
        var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        if (user is not null) client.Options.SetRequestHeader("Authorization", BasicAuth.Header(user, password ?? ""));
        foreach (var protocol in subProtocols.Length == 0 ? [OcppServer.SubProtocol] : subProtocols)
            client.Options.AddSubProtocol(protocol);
        var expected = Certificate?.Certificate.Thumbprint;
        client.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is X509Certificate2 c && c.Thumbprint == expected;
        return client;
    }

    public async Task<TestStation> ConnectStationAsync(string? path = null)
    {
        var client = CreateClient();
        await client.ConnectAsync(Url(path), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        return new TestStation(client);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Certificate?.Dispose();
        Logs.AssertNoUnexpectedErrors();
    }
}
