using System.Globalization;

namespace BmwWallbox.Core;

/// <summary>The TLS certificate the OCPP server presents now (after any renewal), for the pages people look at.</summary>
/// <param name="SelfSigned">The generated development certificate (a BMW box refuses it; the start log says so).</param>
public sealed record TlsCertificateInfo(string Subject, DateTimeOffset NotAfter, bool SelfSigned)
{
    /// <summary>How long before it expires people are told to renew it (certbot renews 30 days before).</summary>
    public static readonly TimeSpan NoticeBefore = TimeSpan.FromDays(14);

    /// <summary>What to tell a person at <paramref name="now"/>: null while the certificate has more than <see cref="NoticeBefore"/> left.</summary>
    public string? Notice(DateTimeOffset now)
    {
        if (SelfSigned || NotAfter - now > NoticeBefore) return null;
        var day = NotAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return NotAfter <= now
            ? $"The TLS certificate ({Subject}) expired on {day}: the wallbox refuses it and cannot connect. Renew it (e.g. certbot renew); bmw-rules serves the renewed files by itself."
            : $"The TLS certificate ({Subject}) expires on {day}: renew it (e.g. certbot renew), or the wallbox cannot connect after that. bmw-rules serves the renewed files by itself.";
    }
}
