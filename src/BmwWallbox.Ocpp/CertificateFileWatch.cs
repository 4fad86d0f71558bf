using System.Security.Cryptography;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp;

/// <summary>
/// Serves renewed certificate files without a restart. Watches <c>ocpp.tls.cert</c> and <c>ocpp.tls.key</c>
/// (and looks every <see cref="Poll"/>, for changes a file system watcher does not see) and hands a pair whose
/// content changed and that loads to <c>onRenewed</c> (<see cref="OcppServer.UseCertificate"/>). Real files put
/// in place while the development certificate is served are picked up the same way. A pair that does not load
/// (half written, the key of another certificate, unreadable) is logged once and the certificate served so far
/// stays. Owns the certificates it loaded.
/// </summary>
public sealed class CertificateFileWatch : IDisposable
{
    /// <summary>How long the files must be quiet before they are read (certbot writes several).</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Poll = TimeSpan.FromMinutes(10);

    private readonly TlsOptions _tls;
    private readonly Action<ServerCertificate> _onRenewed;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly List<DebouncedFileWatch> _watches = [];
    private readonly List<ServerCertificate> _loaded = [];
    private readonly Lock _lock = new();
    private volatile ServerCertificate _serving;
    // What the two files held when last looked at: only a change is read.
    private string _seen;
    private DateTimeOffset? _expiryToldAt;
    private bool _disposed;

    /// <param name="tls">The configured files (paths resolved).</param>
    /// <param name="serving">The certificate served now (loaded from these files, or the development one).</param>
    public CertificateFileWatch(TlsOptions tls, ServerCertificate serving, Action<ServerCertificate> onRenewed, ILogger log, TimeProvider time)
    {
        _tls = tls;
        _serving = serving;
        _onRenewed = onRenewed;
        _log = log;
        _time = time;
        _seen = Fingerprint();
        lock (_lock) TellIfExpiring();
        foreach (var dir in new[] { tls.Cert, tls.Key }.Select(path => Path.GetDirectoryName(Path.GetFullPath(path))!).Distinct(StringComparer.Ordinal))
        {
            // A folder that does not exist (yet) is not watched; the poll still looks.
            var watch = new DebouncedFileWatch(dir, "*", Debounce, Check, time, poll: Poll);
            watch.ChangeNoticed += () => ChangeNoticed?.Invoke();
            _watches.Add(watch);
        }
    }

    /// <summary>The certificate served now.</summary>
    public TlsCertificateInfo Serving
    {
        get
        {
            var serving = _serving;
            return new(serving.Certificate.Subject, new DateTimeOffset(serving.Certificate.NotAfter.ToUniversalTime()), serving.IsSelfSigned);
        }
    }

    /// <summary>Raised when a change in the files' folders was noticed (the files are read once they are quiet); lets tests move virtual time safely.</summary>
    public event Action? ChangeNoticed;

    /// <summary>Looks at the files: once they have been quiet after a change, and every <see cref="Poll"/>.</summary>
    private void Check()
    {
        lock (_lock)
        {
            if (_disposed) return;
            TellIfExpiring();
            var now = Fingerprint();
            if (now == _seen) return;
            _seen = now;
            var missing = new[] { _tls.Cert, _tls.Key }.FirstOrDefault(path => !File.Exists(path));
            if (missing is not null)
            {
                // The development certificate is served while the files are missing: nothing to say until both are there.
                if (!_serving.IsSelfSigned)
                    _log.LogWarning("TLS file {Path} is gone; still serving {Subject}, valid until {NotAfter:u}, until it is back",
                        missing, _serving.Certificate.Subject, _serving.Certificate.NotAfter.ToUniversalTime());
                return;
            }

            ServerCertificate renewed;
            try
            {
                renewed = ServerCertificate.FromPemFiles(_tls.Cert, _tls.Key);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or CryptographicException)
            {
                _log.LogWarning("TLS files {CertificatePath} / {KeyPath} changed but cannot be used; still serving {Subject}, valid until {NotAfter:u}: {Error}",
                    _tls.Cert, _tls.Key, _serving.Certificate.Subject, _serving.Certificate.NotAfter.ToUniversalTime(), e.Message);
                return;
            }

            _loaded.Add(renewed);
            _serving = renewed;
            _onRenewed(renewed);
            _log.LogInformation("TLS certificate {Subject} from {CertificatePath} (+{Intermediates} intermediate(s)), valid until {NotAfter:u}: " +
                "served from now on, no restart needed (connected boxes keep their connection)",
                renewed.Certificate.Subject, _tls.Cert, renewed.Chain.Count, renewed.Certificate.NotAfter.ToUniversalTime());
            _expiryToldAt = null;
            TellIfExpiring();
        }
    }

    /// <summary>A warning at start and then once a day while the certificate served expires within <see cref="TlsCertificateInfo.NoticeBefore"/> or has expired.</summary>
    private void TellIfExpiring()
    {
        var now = _time.GetUtcNow();
        var serving = Serving;
        if (serving.Notice(now) is null || now - _expiryToldAt < TimeSpan.FromDays(1)) return;
        _expiryToldAt = now;
        if (serving.NotAfter <= now)
            _log.LogWarning("TLS certificate {Subject} from {CertificatePath} expired on {NotAfter:u}: the wallbox refuses it and cannot connect. " +
                "Renew it (e.g. certbot renew); bmw-rules serves the renewed files by itself", serving.Subject, _tls.Cert, serving.NotAfter);
        else
            _log.LogWarning("TLS certificate {Subject} from {CertificatePath} expires in {Days} day(s), on {NotAfter:u}: renew it (e.g. certbot renew), " +
                "or the wallbox cannot connect after that; bmw-rules serves the renewed files by itself",
                serving.Subject, _tls.Cert, (int)Math.Ceiling((serving.NotAfter - now).TotalDays), serving.NotAfter);
    }

    /// <summary>The two files' content in short, or why it cannot be read.</summary>
    private string Fingerprint() => $"{FileFingerprint(_tls.Cert)} {FileFingerprint(_tls.Key)}";

    private static string FileFingerprint(string path)
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.GetType().Name;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        foreach (var watch in _watches) watch.Dispose();
        foreach (var certificate in _loaded) certificate.Dispose();
    }
}
