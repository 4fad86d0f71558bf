using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Kestrel connection middleware, before TLS: closes a connection at once when there are already
/// ocpp.max_connections in total or ocpp.max_connections_per_address from its address. (A socket
/// that never finishes the upgrade is closed by Kestrel's timeouts, see <see cref="OcppServer"/>.)
/// </summary>
internal sealed class ConnectionLimiter : IDisposable
{
    private readonly OcppOptions _options;
    private readonly RateLimitedLog _refusals;
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private int _total;

    public ConnectionLimiter(OcppOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
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

        try
        {
            await next(connection);
        }
        finally
        {
            Close(address);
        }
    };

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
}
