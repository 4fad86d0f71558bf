using System.Net.Sockets;
using BmwWallbox.Doctor;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// A port the daemon listens on is held by another process. Its message is the one line the user
/// needs (which port, who holds it, what to do), so it is printed without a stack trace.
/// </summary>
internal sealed class PortInUseException(string message, Exception inner, string setting, Func<string, string> describe) : Exception(message, inner)
{
    /// <summary>The config key that moves the port (ocpp.port or mqtt.port).</summary>
    public string Setting { get; } = setting;

    /// <summary>The same line, naming another way to move the port (the demo's --port / --mqtt-port).</summary>
    public string MessageWith(string setting) => describe(setting);

    /// <summary>Runs <paramref name="listen"/>; when its port is taken, throws a <see cref="PortInUseException"/> naming the holder.</summary>
    /// <param name="what">"OCPP" or "MQTT broker"; <paramref name="setting"/>: the config key that moves it.</param>
    internal static async Task GuardAsync(Func<Task> listen, string what, string bind, int port, string setting)
    {
        try
        {
            await listen();
        }
        catch (Exception e) when (IsAddressInUse(e))
        {
            var holder = new PortHolderFinder().Find(port);
            string Line(string fix) => Describe(what, $"{bind}:{port}", port, fix, holder);
            throw new PortInUseException(Line(setting), e, setting, Line);
        }
    }

    internal static string Describe(string what, string where, int port, string setting, PortHolder? holder) => holder switch
    {
        null => $"the {what} port {where} is already in use by another process; find it with `sudo ss -ltnp 'sport = :{port}'`, then stop it or change {setting}",
        { IsBmwRules: true } => $"the {what} port {where} is already in use by another bmw-rules (pid {holder.Pid}): is it already running as a service? Stop it or change {setting}",
        _ => $"the {what} port {where} is already in use by {Shorten(holder.CommandLine)} (pid {holder.Pid}): stop it or change {setting}",
    };

    /// <summary>Kestrel wraps the SocketException in AddressInUseException and IOException, the embedded broker in InvalidOperationException.</summary>
    private static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.GetType().Name == "AddressInUseException") return true;
        return false;
    }

    /// <summary>At most 80 characters, and no control characters: another user's process chooses its own command line.</summary>
    private static string Shorten(string commandLine)
    {
        var clean = string.Concat(commandLine.Select(c => char.IsControl(c) ? '?' : c));
        return clean.Length <= 80 ? clean : clean[..77] + "...";
    }
}
