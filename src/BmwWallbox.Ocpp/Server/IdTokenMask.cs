namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// RFID card ids are personal data and, on open systems, a credential: logs show only their last
/// characters, enough to tell two cards apart.
/// </summary>
internal static class IdTokenMask
{
    private const int Shown = 4;

    public static string Mask(string token) =>
        token.Length <= Shown ? new string('*', token.Length) : new string('*', token.Length - Shown) + token[^Shown..];
}
