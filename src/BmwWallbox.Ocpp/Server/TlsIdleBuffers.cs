using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Lets OpenSSL free a connection's record buffers while it is idle (SSL_MODE_RELEASE_BUFFERS, as nginx,
/// HAProxy and Node.js set it): otherwise every TLS connection keeps its read and write buffers for its
/// whole life (OpenSSL: ~34 KB per idle connection; 10,000 idle stations took ~150 MB less RSS). .NET has no setting for it,
/// so this reaches the connection's OpenSSL handle through SslStream's private field; where that field
/// or libssl.so.3 is not found (another runtime or platform), it does nothing.
/// </summary>
internal static class TlsIdleBuffers
{
    private const int SslCtrlMode = 33; // SSL_CTRL_MODE: SSL_set_mode and SSL_get_mode are this SSL_ctrl
    internal const long ReleaseBuffers = 0x10; // SSL_MODE_RELEASE_BUFFERS

    private static readonly FieldInfo? SecurityContext = OperatingSystem.IsLinux()
        ? typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic)
        : null;
    private static volatile bool _unavailable = SecurityContext is null;

    /// <summary>After the handshake, before the connection's first byte of HTTP: nothing else uses the handle then.</summary>
    public static ConnectionDelegate Middleware(ConnectionDelegate next) => connection =>
    {
        if (connection.Features.Get<ISslStreamFeature>()?.SslStream is { } tls) Release(tls);
        return next(connection);
    };

    /// <summary>Sets SSL_MODE_RELEASE_BUFFERS on the stream's OpenSSL connection; true when it did.</summary>
    internal static bool Release(SslStream tls) => Ctrl(tls, ReleaseBuffers) is { } mode && (mode & ReleaseBuffers) != 0;

    /// <summary>The OpenSSL connection's modes after adding <paramref name="modes"/> (0: only read them); null when out of reach.</summary>
    internal static long? Ctrl(SslStream tls, long modes)
    {
        if (_unavailable || SecurityContext!.GetValue(tls) is not SafeHandle { IsInvalid: false, IsClosed: false } ssl) return null;
        // Only the handle types whose handle is the SSL* itself; anything else is left alone rather than guessed at.
        if (ssl.GetType().Name is not ("SafeDeleteSslContext" or "SafeSslHandle")) return null;
        var added = false;
        try
        {
            ssl.DangerousAddRef(ref added);
            return SslCtrl(ssl.DangerousGetHandle(), SslCtrlMode, (nint)modes, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return null;
        }
        finally
        {
            if (added) ssl.DangerousRelease();
        }
    }

    // DllImport, not LibraryImport: all arguments are blittable, and LibraryImport would need unsafe code.
    [DllImport("libssl.so.3", EntryPoint = "SSL_ctrl")]
    private static extern nint SslCtrl(nint ssl, int cmd, nint larg, nint parg);
}
