using System.Net;
using System.Net.Sockets;

namespace BmwWallbox.Doctor;

/// <summary>Step 3: can the OCPP server listen on ocpp.bind:ocpp.port, and if not, who holds it.</summary>
internal sealed class PortCheck(PortHolderFinder finder)
{
    private const int Step = DoctorSteps.Port;

    /// <param name="daemonPid">The pid in a fresh status file: that process is bmw-rules whatever its command line.</param>
    public DoctorCheck Run(DoctorInput input, int? daemonPid = null)
    {
        if (input.Port is < 1 or > 65535)
            return DoctorCheck.Fail(Step, "port", $"ocpp.port {input.Port} is not a TCP port", "set ocpp.port to 1–65535 (default 9000)");
        if (!IPAddress.TryParse(input.BindAddress, out var address))
            return DoctorCheck.Fail(Step, "port", $"ocpp.bind '{input.BindAddress}' is not an IP address", "set ocpp.bind to 0.0.0.0 (every IPv4 interface), :: or one of this machine's addresses");
        var where = $"{input.BindAddress}:{input.Port}";
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(new IPEndPoint(address, input.Port));
            socket.Listen();
            return DoctorCheck.Ok(Step, "port", $"{where} is free (no bmw-rules running yet)");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return Held(where, input.Port, finder.Find(input.Port), daemonPid);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            return DoctorCheck.Fail(Step, "port", $"no permission to listen on {where}",
                "use a port ≥ 1024 (e.g. 9000) or allow it: setcap 'cap_net_bind_service=+ep' on the bmw-rules binary");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            return DoctorCheck.Fail(Step, "port", $"{input.BindAddress} is not an address of this machine", "set ocpp.bind to 0.0.0.0 or one of this machine's addresses");
        }
        catch (SocketException e)
        {
            return DoctorCheck.Fail(Step, "port", $"cannot listen on {where}: {e.Message}", "check ocpp.bind and ocpp.port");
        }
    }

    private static DoctorCheck Held(string where, int port, PortHolder? holder, int? daemonPid)
    {
        const string fix = "stop it or change ocpp.port";
        if (holder is null)
            return DoctorCheck.Fail(Step, "port", $"{where} is in use by another process (naming it needs Linux, and root for other users' processes)",
                $"find it with `sudo ss -ltnp 'sport = :{port}'` (or `lsof -i :{port}`), then {fix}");
        return holder.IsBmwRules || holder.Pid == daemonPid
            ? DoctorCheck.Ok(Step, "port", $"{where} held by bmw-rules (pid {holder.Pid})")
            : DoctorCheck.Fail(Step, "port", $"{where} held by {Shorten(holder.CommandLine)} (pid {holder.Pid})", fix);
    }

    private static string Shorten(string commandLine) => commandLine.Length <= 80 ? commandLine : commandLine[..77] + "...";
}
