using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Server;
using BmwWallbox.Ocpp.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp;

/// <summary>
/// The CSMS: an OCPP 2.0.1 WebSocket server (its own Kestrel) at <c>wss://host:port/&lt;stationId&gt;</c>
/// with HTTP Basic auth, keeping <see cref="States"/> and offering <see cref="Commands"/>.
/// </summary>
public sealed class OcppServer : ICsms
{
    public const string SubProtocol = "ocpp2.0.1";

    private readonly OcppOptions _options;
    private readonly ServerCertificate? _certificate;
    // Null with allow_insecure (plain ws).
    private readonly ServedCertificate? _served;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WallboxStateStore _states;
    private readonly ConnectionLimiter _connections;
    private readonly StationEndpoint _endpoint;
    private readonly OcppCommands _commands;
    private readonly CancellationTokenSource _stopping = new();
    private readonly LastBoots? _lastBoots;
    private WebApplication? _app;

    /// <param name="certificate">Required unless <see cref="OcppOptions.AllowInsecure"/> (then plain ws:// is served and it is unused). The caller keeps ownership.</param>
    /// <param name="approvals">Where unknown stations wait for approval; required when ocpp.accept_unknown is pending, unused otherwise.</param>
    /// <param name="dataDir">Where the stations' last boots are kept across restarts (boots.json); null keeps none.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each wrong key.</exception>
    public OcppServer(OcppOptions options, ServerCertificate? certificate, ILoggerFactory loggerFactory, TimeProvider time, StationApprovals? approvals = null,
        string? dataDir = null)
    {
        OcppOptionsValidator.Validate(options, certificate);
        _options = options;
        _certificate = certificate;
        _served = options.AllowInsecure ? null : new ServedCertificate(certificate!);
        _loggerFactory = loggerFactory;
        _time = time;
        _logger = loggerFactory.CreateLogger<OcppServer>();
        if (options.KeepsUnknownStations)
            Approvals = approvals ?? throw new ArgumentException("ocpp.accept_unknown is pending or ocpp.station_groups are set, but no approvals file was given", nameof(approvals));
        if (dataDir is not null)
            _lastBoots = new LastBoots(Path.Combine(dataDir, LastBoots.FileName), options.Stations.Select(s => s.Id), time, loggerFactory.CreateLogger<LastBoots>());
        _states = new WallboxStateStore(options.Stations, time, loggerFactory.CreateLogger<WallboxStateStore>(), WallboxEventDelivery.Queued, _lastBoots is null ? null : _lastBoots.Of);
        var callHandler = new StationCallHandler(_states, options, time, loggerFactory.CreateLogger<StationCallHandler>(), _lastBoots);
        _connections = new ConnectionLimiter(options, time, _logger);
        _endpoint = new StationEndpoint(options, _states, callHandler, time, loggerFactory, _stopping.Token, Approvals);
        _commands = new OcppCommands(_endpoint.ConnectionOf, _states, loggerFactory.CreateLogger<IOcppCommands>());
    }

    public IReadOnlyList<StationOptions> Stations => _options.Stations;

    /// <summary>The live state of every configured station (present from the start, disconnected).</summary>
    public IWallboxStates States => _states;

    public IOcppCommands Commands => _commands;

    /// <summary>The unknown stations and a person's decisions on them, and the members of station groups; null unless ocpp.accept_unknown is pending or groups are set.</summary>
    public StationApprovals? Approvals { get; }

    /// <summary>The unknown stations connected now, waiting for approval.</summary>
    public IReadOnlyCollection<string> PendingConnected => _endpoint.PendingConnected;

    /// <summary>Closes a waiting station's connection (after a person rejected or forgot it).</summary>
    public Task ClosePendingAsync(string stationId, string reason) => _endpoint.ClosePendingAsync(stationId, reason);

    /// <summary>The bound TCP port(s), known after <see cref="StartAsync"/> (useful with port 0).</summary>
    public IReadOnlyList<int> Ports { get; private set; } = [];

    public bool IsSecure => !_options.AllowInsecure;

    /// <summary>
    /// Serves <paramref name="certificate"/> to every TLS handshake from now on: a renewed certificate, without a
    /// restart. Connections already open keep theirs. The caller keeps ownership and keeps it alive while the server runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">ocpp.allow_insecure is on: there is no TLS.</exception>
    public void UseCertificate(ServerCertificate certificate) =>
        (_served ?? throw new InvalidOperationException("ocpp.allow_insecure is on: no TLS, so no certificate to serve")).Replace(certificate);

    public async Task StartAsync(CancellationToken ct)
    {
        if (_app is not null) throw new InvalidOperationException("The OCPP server is already started");
        if (_stopping.IsCancellationRequested) throw new InvalidOperationException("The OCPP server was stopped; create a new one");

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(OcppServer).Assembly.GetName().Name });
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ILoggerFactory>(new WithoutRequestDiagnostics(_loggerFactory));
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>(); // the hosting exe owns Ctrl+C and SIGTERM
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A socket that has not finished TLS (HttpsOptions) and the upgrade within handshake_timeout is closed.
            // These run in real time, like the WebSocket ping: they protect the network, not a behaviour.
            kestrel.Limits.KeepAliveTimeout = _options.HandshakeTimeout;
            kestrel.Limits.RequestHeadersTimeout = _options.HandshakeTimeout;
            kestrel.Limits.MaxConcurrentUpgradedConnections = _options.MaxConnections;
            kestrel.Listen(ListenAddress(), _options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(_connections.Middleware); // before TLS: a refused connection costs no handshake
                if (!_options.AllowInsecure)
                {
                    listen.UseHttps(HttpsOptions());
                    listen.Use(TlsIdleBuffers.Middleware);
                }
            });
        });

        var app = builder.Build();
        app.UseWebSockets();
        app.Run(_endpoint.AcceptAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        _app = app;
        Ports = app.Urls.Select(url => new Uri(url).Port).Distinct().ToList();
        _logger.LogInformation("OCPP server listening on {Scheme}://{Bind}:{Port}/<station id> for {Stations}",
            _options.AllowInsecure ? "ws" : "wss", _options.Bind, string.Join(",", Ports), NameList.Stations([.. _options.Stations.Select(st => st.Id)]));
        if (_options.AllowInsecure)
            _logger.LogWarning("ocpp.allow_insecure is on: plain ws:// without TLS (security profile 1). Passwords travel in clear text; the BMW wallbox needs wss");
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_app is null) return;
        await _endpoint.CloseAllAsync(WebSocketCloseStatus.EndpointUnavailable, "CSMS shutting down");
        await _stopping.CancelAsync();
        await _app.StopAsync(ct);
        await _app.DisposeAsync();
        _app = null;
        _lastBoots?.Save();
        _logger.LogInformation("OCPP server stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _lastBoots?.Dispose();
        _endpoint.Dispose();
        _connections.Dispose();
        _stopping.Dispose();
    }

    /// <summary>The constructor has refused a bind that is not an address (<see cref="OcppOptions.Problems"/>).</summary>
    private IPAddress ListenAddress() => _options.Bind is "localhost" ? IPAddress.Loopback : IPAddress.Parse(_options.Bind);

    /// <summary>
    /// The TLS of this server for a listener of its own (the OCPP port) or another one in this process (the dashboard's
    /// https): the same certificate with its chain, renewed with it (<see cref="UseCertificate"/>), and the same suites.
    /// </summary>
    /// <exception cref="InvalidOperationException">ocpp.allow_insecure is on: there is no certificate.</exception>
    public HttpsConnectionAdapterOptions HttpsOptions()
    {
        if (_served is null) throw new InvalidOperationException("ocpp.allow_insecure is on: no TLS, so no certificate to serve");
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = _certificate!.Certificate,
            ServerCertificateChain = _certificate.Chain, // quirk 11: serve the intermediates too
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateMode = ClientCertificateMode.NoCertificate,
            HandshakeTimeout = _options.HandshakeTimeout,
        };
        var served = _served!;
        https.OnAuthenticate = (_, ssl) => served.Apply(ssl);
        // Elsewhere the OS chooses the suites. On Linux the profile 2 plain-RSA ones are missing unless we set
        // them, for the clients that need them.
        if (OperatingSystem.IsLinux())
        {
            var policy = new ClientCipherPolicy(() => served.IsRsa);
            https.TlsClientHelloBytesCallback = policy.OnClientHello;
            Action<ConnectionContext, SslServerAuthenticationOptions> applyPolicy = policy.OnAuthenticate;
            https.OnAuthenticate = (connection, ssl) =>
            {
                served.Apply(ssl);
                applyPolicy(connection, ssl);
            };
        }
        return https;
    }

    /// <summary>Lets the embedding exe own process signals: this inner host never listens for Ctrl+C itself.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
