using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine;
using BmwWallbox.Rules.Engine.Tracing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Dashboard;

/// <summary>
/// The web dashboard on its own Kestrel listener (<c>http:</c>): the page, its JSON API, a Server-Sent
/// Events stream that sends a fresh snapshot on every change, and the buttons, which act through the
/// charge controllers as a person (<see cref="Steering"/>). Bad input gets a JSON error and changes nothing;
/// an unexpected failure is logged and answered with one line, never a stack trace.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>Largest request body: actions are a few bytes of JSON, the login a form with one field.</summary>
    private const long MaxBodyBytes = 16 * 1024;
    /// <summary>Bursts of changes become one update per page at most this often. Real time: it paces the network, not a behaviour.</summary>
    private static readonly TimeSpan UpdateSpacing = TimeSpan.FromMilliseconds(200);

    private readonly HttpOptions _options;
    private readonly DashboardSources _sources;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly LoginGate _gate;
    private readonly DayChart _chart;
    private readonly RecentTraces _traces = new();
    private readonly LiveFeed _feed = new();
    private readonly Steering _steering;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IDisposable _stationEvents;
    private readonly string _loginPage = StaticAssets.Text("login.html");
    private readonly Func<HttpsConnectionAdapterOptions>? _https;
    private WebApplication? _app;

    /// <param name="time">The daemon's clock (virtual in tests and the demo): the chart's minutes.</param>
    /// <param name="loginTime">The clock of the failed-login lock-out; real time unless a test passes its own.</param>
    /// <param name="https">The TLS to serve with <c>http.tls</c> (the OCPP server's: <c>OcppServer.HttpsOptions</c>).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each wrong key.</exception>
    public DashboardServer(HttpOptions options, DashboardSources sources, TimeProvider time, ILoggerFactory loggers, TimeProvider? loginTime = null,
        Func<HttpsConnectionAdapterOptions>? https = null)
    {
        OptionProblems.ThrowIfAnyError(options.Problems());
        if (options.Tls && https is null) throw new ArgumentException("http.tls needs the OCPP server's certificate, and there is none (ocpp.allow_insecure)", nameof(https));
        _https = options.Tls ? https : null;
        _options = options;
        _sources = sources;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DashboardServer>();
        _gate = new LoginGate(options.Password, loginTime ?? TimeProvider.System);
        _chart = DayChart.For(sources.Signals, time);
        _steering = new Steering(sources, _logger);
        // The page shows no heartbeat: those are not even queued for it.
        _stationEvents = sources.States.Subscribe(OnStateChanged, e => !e.IsHeartbeatOrReport);
        sources.Signals.Changed += OnSignal;
        foreach (var c in sources.Controllers.All) c.ControlChanged += OnControlChanged;
        sources.Rules.TraceRecorded += OnTrace;
        sources.Rules.Reloaded += OnReloaded;
        if (sources.History is { } history) history.SessionChanged += OnSession;
        if (sources.Modes is { } modes) modes.ModeChanged += OnModeChanged;
        if (sources.Plans is IChargePlans plans) plans.PlanChanged += OnPlanChanged;
        foreach (var c in sources.Controllers.All) RecordStation(c.StationId);
    }

    /// <summary>The bound port, known after <see cref="StartAsync"/> (useful with port 0).</summary>
    public int Port { get; private set; }

    /// <summary>Where to open the page on this machine.</summary>
    public string LocalUrl
    {
        get
        {
            HttpOptions.TryParseBind(_options.EffectiveBind, out var bind);
            var host = bind is null || bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any) || IPAddress.IsLoopback(bind) ? "127.0.0.1"
                : bind.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bind}]" : bind.ToString();
            return $"{Scheme}://{host}:{Port}/";
        }
    }

    private string Scheme => _https is null ? "http" : "https";

    public async Task StartAsync(CancellationToken ct)
    {
        if (_app is not null) throw new InvalidOperationException("The dashboard is already started");
        HttpOptions.TryParseBind(_options.EffectiveBind, out var bind);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(_loggers);
        builder.Services.AddRouting();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>(); // the hosting exe owns Ctrl+C and SIGTERM
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(bind!, _options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (_https is not null) listen.UseHttps(_https());
            });
        });
        var app = builder.Build();
        app.Use(GuardAsync);
        app.UseRouting();
        MapRoutes(app);
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
        Port = app.Urls.Select(url => new Uri(url).Port).First();
        LogWhereToOpen(bind!);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_app is null) return;
        await _stopping.CancelAsync(); // ends the event streams, or Kestrel would wait for them
        await _app.StopAsync(ct);
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stationEvents.Dispose();
        _sources.Signals.Changed -= OnSignal;
        foreach (var c in _sources.Controllers.All) c.ControlChanged -= OnControlChanged;
        _sources.Rules.TraceRecorded -= OnTrace;
        _sources.Rules.Reloaded -= OnReloaded;
        if (_sources.History is { } history) history.SessionChanged -= OnSession;
        if (_sources.Modes is { } modes) modes.ModeChanged -= OnModeChanged;
        if (_sources.Plans is IChargePlans plans) plans.PlanChanged -= OnPlanChanged;
        _stopping.Dispose();
    }

    private void LogWhereToOpen(IPAddress bind)
    {
        if (IPAddress.IsLoopback(bind))
        {
            _logger.LogInformation("Dashboard: open {Url} in a browser on this machine. To open it from a phone on your network, set http.password in config.yaml: the dashboard then listens on every interface",
                LocalUrl);
            return;
        }
        var everywhere = bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any);
        if (_https is not null)
        {
            // The certificate names the host name the wallbox dials, not an address: by address the browser would warn.
            _logger.LogInformation("Dashboard: open https://<the host name in the wallbox's URL>:{Port}/ from a phone or computer on your network (log in with http.password){Local}",
                Port, everywhere ? $"; {LocalUrl} on this machine" : "");
            return;
        }
        var lan = everywhere ? LanAddresses() : [bind.ToString()];
        _logger.LogInformation("Dashboard: open {Urls} from a phone or computer on your network (log in with http.password){Local}",
            lan.Count > 0 ? string.Join(" or ", lan.Select(a => $"http://{a}:{Port}/")) : $"http://<this host>:{Port}/",
            everywhere ? $"; {LocalUrl} on this machine" : "");
    }

    /// <summary>This machine's IPv4 addresses on interfaces that are up, for the startup line.</summary>
    private static List<string> LanAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address))
                .Select(a => a.Address.ToString()).Distinct().Take(3)];
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    // ---- requests ----

    /// <summary>
    /// Before every route: unexpected failures become one line (logged with their details), the Host header is
    /// checked on a password-less listener, and a login is required when a password is set.
    /// </summary>
    private async Task GuardAsync(HttpContext ctx, RequestDelegate next)
    {
        try
        {
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            ctx.Response.Headers.XFrameOptions = "DENY";
            ctx.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";
            var path = ctx.Request.Path.Value ?? "/";
            // Without a password only this machine can connect; a web page elsewhere could still aim a renamed
            // host at 127.0.0.1 (DNS rebinding), so only IP addresses and localhost are accepted as host names.
            if (!_gate.Required && !IsPlainHost(ctx.Request.Host.Host))
            {
                await ErrorAsync(ctx, 400, "Open the dashboard by IP address or localhost");
                return;
            }
            if (!_gate.IsLoggedIn(ctx.Request.Cookies[LoginGate.CookieName]) && !path.StartsWith("/assets/", StringComparison.Ordinal) && path != "/login")
            {
                if (path.StartsWith("/api/", StringComparison.Ordinal)) await ErrorAsync(ctx, 401, "Log in first: open the dashboard page and enter http.password");
                else await LoginPageAsync(ctx, 401, "", path);
                return;
            }
            await next(ctx);
        }
        catch (BadRequest e)
        {
            await ErrorAsync(ctx, e.Status, e.Message);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            await ErrorAsync(ctx, e.StatusCode, e.StatusCode == 413 ? $"Request too large (at most {MaxBodyBytes / 1024} KiB)" : "Malformed request");
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested) { }
        catch (Exception e)
        {
            _logger.LogError(e, "Dashboard request {Method} {Path} failed", ctx.Request.Method, Steering.Short(ctx.Request.Path.Value ?? ""));
            await ErrorAsync(ctx, 500, "Internal error: the action may not have been carried out; the bmw-rules log has the details");
        }
    }

    private static bool IsPlainHost(string host) =>
        host.Length == 0 || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Trim('[', ']'), out _);

    private void MapRoutes(WebApplication app)
    {
        app.MapGet("/", ctx => PageAsync(ctx, "index.html"));
        app.MapGet("/history", ctx => PageAsync(ctx, "history.html"));
        app.MapGet("/assets/{*path}", AssetAsync);
        app.MapPost("/login", LoginAsync);
        app.MapGet("/login", ctx => { ctx.Response.Redirect("/"); return Task.CompletedTask; });
        app.MapPost("/logout", LogoutAsync);
        app.MapGet("/api/state", ctx => JsonAsync(ctx, 200, DashboardViews.Snapshot(_sources, _traces, _time.GetUtcNow())));
        app.MapGet("/api/events", EventsAsync);
        app.MapGet("/api/chart", ChartAsync);
        app.MapGet("/api/sessions", SessionsAsync);
        app.MapPost("/api/stations/{station}/{verb}", async ctx =>
        {
            var body = await BodyAsync(ctx);
            var result = await _steering.StationAsync((string)ctx.Request.RouteValues["station"]!, (string)ctx.Request.RouteValues["verb"]!, body, ctx.RequestAborted);
            await JsonAsync(ctx, 200, result);
        });
        app.MapPost("/api/rules/{rule}/enabled", async ctx =>
        {
            var body = await BodyAsync(ctx);
            await JsonAsync(ctx, 200, await _steering.RuleAsync((string)ctx.Request.RouteValues["rule"]!, body, ctx.RequestAborted));
        });
        // Anything else: a JSON error for the API, the plain 404 for pages.
        app.MapFallback(ctx => ErrorAsync(ctx, 404, $"No such page or API: {ctx.Request.Method} {Steering.Short(ctx.Request.Path.Value ?? "")}"));
    }

    private static async Task PageAsync(HttpContext ctx, string file)
    {
        var (content, type) = StaticAssets.Find(file)!.Value;
        ctx.Response.ContentType = type;
        ctx.Response.Headers.CacheControl = "no-cache";
        await ctx.Response.Body.WriteAsync(content);
    }

    private static async Task AssetAsync(HttpContext ctx)
    {
        var path = (string?)ctx.Request.RouteValues["path"] ?? "";
        if (StaticAssets.Find(path) is not { } found)
        {
            await ErrorAsync(ctx, 404, $"No such file: {Steering.Short(path)}");
            return;
        }
        ctx.Response.ContentType = found.ContentType;
        ctx.Response.Headers.CacheControl = "no-cache";
        await ctx.Response.Body.WriteAsync(found.Content);
    }

    private async Task LoginAsync(HttpContext ctx)
    {
        if (!_gate.Required)
        {
            ctx.Response.Redirect("/");
            return;
        }
        if (!ctx.Request.HasFormContentType) throw new BadRequest(400, "Send the password from the login form");
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var back = form["next"].ToString() is { Length: > 1 } n && n.StartsWith('/') && !n.StartsWith("//", StringComparison.Ordinal) && !n.Contains('\\') ? n : "/";
        var outcome = _gate.TryLogin(form["password"].ToString(), ctx.Connection.RemoteIpAddress);
        if (outcome.Token is { } token)
        {
            ctx.Response.Cookies.Append(LoginGate.CookieName, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true, Secure = _https is not null });
            ctx.Response.StatusCode = 303;
            ctx.Response.Headers.Location = back;
            return;
        }
        if (outcome.RetryAfter is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            ctx.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _logger.LogWarning("Dashboard: too many wrong passwords from {Address}; refused for {Seconds} s", ctx.Connection.RemoteIpAddress, seconds);
            await LoginPageAsync(ctx, 429, $"Too many wrong passwords: try again in {seconds} s.", back);
            return;
        }
        _logger.LogWarning("Dashboard: wrong password from {Address}", ctx.Connection.RemoteIpAddress);
        await LoginPageAsync(ctx, 401, "Wrong password.", back);
    }

    private Task LogoutAsync(HttpContext ctx)
    {
        _gate.LogOut(ctx.Request.Cookies[LoginGate.CookieName]);
        ctx.Response.Cookies.Delete(LoginGate.CookieName);
        ctx.Response.StatusCode = 303;
        ctx.Response.Headers.Location = "/";
        return Task.CompletedTask;
    }

    private async Task LoginPageAsync(HttpContext ctx, int status, string message, string next)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync(_loginPage
            .Replace("{{message}}", WebUtility.HtmlEncode(message), StringComparison.Ordinal)
            .Replace("{{next}}", WebUtility.HtmlEncode(next), StringComparison.Ordinal));
    }

    private async Task EventsAsync(HttpContext ctx)
    {
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        ctx.Response.Headers["X-Accel-Buffering"] = "no"; // a reverse proxy must not hold the stream back
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
        var ct = linked.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var seen = _feed.Version;
                var json = DashboardJson.Serialize(DashboardViews.Snapshot(_sources, _traces, _time.GetUtcNow()));
                await ctx.Response.WriteAsync($"event: state\ndata: {json}\n\n", ct);
                await ctx.Response.Body.FlushAsync(ct);
                await _feed.NextAsync(seen, ct);
                await Task.Delay(UpdateSpacing, TimeProvider.System, ct);
            }
        }
        catch (OperationCanceledException) { } // the page went away or the daemon stops
        catch (IOException) { }
    }

    private async Task ChartAsync(HttpContext ctx)
    {
        var name = ctx.Request.Query["station"].ToString();
        var controller = name.Length == 0 ? _sources.Controllers.All.FirstOrDefault() : _sources.Controllers.Find(name);
        if (controller is null)
        {
            await ErrorAsync(ctx, 404, $"Unknown station '{Steering.Short(name)}'");
            return;
        }
        var now = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _sources.TimeZone);
        var midnight = new DateTimeOffset(now.Date, now.Offset);
        var (points, marks) = _chart.Since(controller.StationId, midnight);
        await JsonAsync(ctx, 200, new ChartView(controller.Name, midnight, _chart.SolarSignal, _chart.HouseSignal, points, marks));
    }

    private async Task SessionsAsync(HttpContext ctx)
    {
        if (_sources.History is not { } history)
        {
            await JsonAsync(ctx, 200, new HistoryView(false, "The charging history is off (history.enabled: false in config.yaml): no sessions are recorded.", [], []));
            return;
        }
        var query = new SessionQuery(
            ctx.Request.Query["station"].ToString() is { Length: > 0 } station ? station : null,
            Date(ctx, "from"), Date(ctx, "to"));
        var sessions = await history.QueryAsync(query, ctx.RequestAborted);
        await JsonAsync(ctx, 200, new HistoryView(true, null, [.. sessions.Reverse()], [.. MonthTotal.Of(sessions, _sources.TimeZone).Reverse()]));
    }

    /// <summary>A date (yyyy-MM-dd, local midnight) or a full timestamp from the query string; absent = null.</summary>
    private DateTimeOffset? Date(HttpContext ctx, string key)
    {
        var text = ctx.Request.Query[key].ToString();
        if (text.Length == 0) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", out var day))
        {
            var local = day.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, _sources.TimeZone.GetUtcOffset(local));
        }
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at)) return at;
        throw new BadRequest(400, $"'{key}' must be a date such as 2026-05-01, got '{Steering.Short(text)}'");
    }

    /// <summary>
    /// The JSON body of an action. Only application/json is taken: a form another web site posts cannot be
    /// JSON without the browser asking first, so this also keeps other sites from pressing the buttons.
    /// </summary>
    private static async Task<JsonElement> BodyAsync(HttpContext ctx)
    {
        if (ctx.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new BadRequest(415, "Send JSON (Content-Type: application/json)");
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BadRequest(400, $"Malformed JSON: {JsonErrorText.Of(e)}");
        }
    }

    private static Task JsonAsync<T>(HttpContext ctx, int status, T value)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(DashboardJson.Serialize(value), Encoding.UTF8);
    }

    private static Task ErrorAsync(HttpContext ctx, int status, string message)
    {
        if (ctx.Response.HasStarted) return Task.CompletedTask;
        ctx.Response.Clear();
        return JsonAsync(ctx, status, new ErrorView(message));
    }

    // ---- changes ----

    private void OnStateChanged(WallboxEvent e)
    {
        RecordStation(e.State.StationId);
        _feed.Changed();
    }

    private void OnControlChanged(ControlState control)
    {
        RecordStation(control.StationId);
        _feed.Changed();
    }

    private void OnModeChanged(string stationId, ChargeMode mode) => _feed.Changed();

    private void OnPlanChanged(string stationId) => _feed.Changed();

    private void OnSignal(SignalReading reading)
    {
        _chart.OnSignal(reading);
        _feed.Changed();
    }

    private void OnTrace(RuleTrace trace)
    {
        _traces.Add(trace);
        _chart.OnTrace(trace);
        _feed.Changed();
    }

    private void OnReloaded(RuleLoadResult _) => _feed.Changed();

    private void OnSession(ChargingSession _) => _feed.Changed();

    private void RecordStation(string stationId)
    {
        var state = _sources.States.Get(stationId);
        var controller = _sources.Controllers.Find(stationId);
        _chart.OnStation(stationId, state?.Connected == true ? state.PowerW : null, controller?.Control.EffectiveLimit);
    }

    /// <summary>Lets the embedding exe own process signals: this inner host never listens for Ctrl+C itself.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
