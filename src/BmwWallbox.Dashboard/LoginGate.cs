using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace BmwWallbox.Dashboard;

/// <summary>
/// The dashboard's login: one password (http.password) exchanged for a random session cookie kept in memory
/// (a restart logs everyone out). Wrong passwords are counted per client address: after
/// <see cref="MaxFailures"/> within <see cref="Window"/> that address is refused until the window has passed,
/// so the password cannot be guessed at network speed. Without a password every request is let in (the
/// listener is then loopback only, <see cref="HttpOptions.Problems"/>).
/// </summary>
internal sealed class LoginGate(string password, TimeProvider time)
{
    public const string CookieName = "bmw_dashboard";
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    /// <summary>Bounds memory if many addresses fail (only the newest failures matter).</summary>
    private const int MaxTrackedAddresses = 10_000;

    private readonly byte[] _passwordHash = SHA256.HashData(Encoding.UTF8.GetBytes(password));
    private readonly ConcurrentDictionary<string, byte> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, Failures> _failures = new();

    public bool Required => password.Length > 0;

    public bool IsLoggedIn(string? cookie) => !Required || (cookie is { Length: > 0 } && _sessions.ContainsKey(cookie));

    /// <summary>The outcome of a login attempt: a session token, or why not (and when to retry).</summary>
    public LoginOutcome TryLogin(string? attempt, IPAddress? client)
    {
        var key = client ?? IPAddress.None;
        var now = time.GetUtcNow();
        if (_failures.TryGetValue(key, out var f) && f.Count >= MaxFailures && now - f.Since < Window)
            return LoginOutcome.Throttled(f.Since + Window - now);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(attempt ?? ""));
        if (CryptographicOperations.FixedTimeEquals(hash, _passwordHash))
        {
            _failures.TryRemove(key, out _);
            var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            _sessions[token] = 0;
            return LoginOutcome.In(token);
        }
        if (_failures.Count >= MaxTrackedAddresses) _failures.Clear();
        _failures.AddOrUpdate(key, _ => new Failures(1, now), (_, old) => now - old.Since >= Window ? new Failures(1, now) : old with { Count = old.Count + 1 });
        return LoginOutcome.Wrong;
    }

    public void LogOut(string? cookie)
    {
        if (cookie is not null) _sessions.TryRemove(cookie, out _);
    }

    private sealed record Failures(int Count, DateTimeOffset Since);
}

internal sealed record LoginOutcome(string? Token, TimeSpan? RetryAfter)
{
    public static readonly LoginOutcome Wrong = new(null, null);
    public static LoginOutcome In(string token) => new(token, null);
    public static LoginOutcome Throttled(TimeSpan retryAfter) => new(null, retryAfter);
}
