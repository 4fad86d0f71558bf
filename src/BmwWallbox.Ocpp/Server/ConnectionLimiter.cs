using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Kestrel connection middleware, before TLS: closes a connection at once when there are already
/// ocpp.max_connections in total or ocpp.max_connections_per_address from its address, and
/// aborts one that has not become a WebSocket within ocpp.handshake_timeout (an idle or slow
/// socket must not hold a slot).
/// </summary>
internal sealed class ConnectionLimiter : IDisposable
{
    private readonly OcppOptions _options;
    private readonly TimeProvider _time;
    private readonly RateLimitedLog _refusals;
    private readonly ConcurrentDictionary<string, Tracked> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private int _total;

    public ConnectionLimiter(OcppOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _refusals = new RateLimitedLog(logger, time, TimeSpan.FromMinutes(1), "connections refused");
    }

    public static IPAddress AddressOf(IPAddress? address)
        => address is null ? IPAddress.None : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        var address = AddressOf((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (!TryOpen(address, out var refusal))
        {
            _refusals.Report(address, log => log.LogWarning("Connection from {Address} refused: {Reason}", address, refusal));
            connection.Abort();
            return;
        }

        var tracked = new Tracked();
        _open[connection.ConnectionId] = tracked;
        await using var deadline = _time.CreateTimer(_ =>
        {
            if (!tracked.Upgraded) connection.Abort(new ConnectionAbortedException("WebSocket handshake not completed in time"));
        }, null, _options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await next(connection);
        }
        finally
        {
            _open.TryRemove(connection.ConnectionId, out _);
            Close(address);
        }
    };

    /// <summary>The connection has passed the login and becomes a WebSocket: the handshake deadline no longer applies.</summary>
    public void Upgrading(string connectionId)
    {
        if (_open.TryGetValue(connectionId, out var tracked)) tracked.Upgraded = true;
    }

    public void Dispose() => _refusals.Dispose();

    private bool TryOpen(IPAddress address, out string refusal)
    {
        lock (_lock)
        {
            _perAddress.TryGetValue(address, out var fromAddress);
            refusal = _total >= _options.MaxConnections ? $"{_total} connections open (ocpp.max_connections)"
                : fromAddress >= _options.MaxConnectionsPerAddress ? $"{fromAddress} connections open from this address (ocpp.max_connections_per_address)"
                : "";
            if (refusal.Length > 0) return false;
            _total++;
            _perAddress[address] = fromAddress + 1;
            return true;
        }
    }

    private void Close(IPAddress address)
    {
        lock (_lock)
        {
            _total--;
            if (_perAddress[address] == 1) _perAddress.Remove(address);
            else _perAddress[address]--;
        }
    }

    private sealed class Tracked
    {
        public volatile bool Upgraded;
    }
}
