using System.Security.Cryptography;
using System.Text;

namespace BmwWallbox.Ocpp.Server;

internal enum BasicAuthResult { Accepted, Missing, Malformed, WrongUserName, WrongPassword }

/// <summary>HTTP Basic auth of security profiles 1/2: user name = station id, password from ocpp.stations.</summary>
internal static class BasicAuth
{
    public static BasicAuthResult Check(string? authorization, StationOptions station)
    {
        var (result, user, password) = Read(authorization);
        if (result != BasicAuthResult.Accepted) return result;
        if (!SameText(user, station.Id)) return BasicAuthResult.WrongUserName;
        return SameText(password, station.Password) ? BasicAuthResult.Accepted : BasicAuthResult.WrongPassword;
    }

    /// <summary>The user name and password of a Basic Authorization header (Accepted), or why there are none.</summary>
    public static (BasicAuthResult Result, string User, string Password) Read(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization)) return (BasicAuthResult.Missing, "", "");
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return (BasicAuthResult.Malformed, "", "");

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return (BasicAuthResult.Malformed, "", "");
        }

        var colon = credentials.IndexOf(':');
        return colon < 0 ? (BasicAuthResult.Malformed, "", "") : (BasicAuthResult.Accepted, credentials[..colon], credentials[(colon + 1)..]);
    }

    public static string Header(string user, string password)
        => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static bool SameText(string a, string b)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
