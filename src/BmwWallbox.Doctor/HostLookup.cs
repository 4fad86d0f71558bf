using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace BmwWallbox.Doctor;

/// <summary>
/// What a host name resolves to and which addresses this machine has: the system's DNS and network interfaces
/// (<see cref="System"/>), or a fixed answer in tests (this machine's DNS cannot be told what to answer).
/// </summary>
public sealed record HostLookup(Func<string, CancellationToken, Task<IPAddress[]>> Resolve, Func<IReadOnlyList<IPAddress>> LocalAddresses)
{
    public static HostLookup System { get; } = new(Dns.GetHostAddressesAsync, MachineAddresses);

    /// <summary>The unicast addresses of the interfaces that are up, loopback included.</summary>
    private static IReadOnlyList<IPAddress> MachineAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)];
        }
        catch (NetworkInformationException)
        {
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }
    }

    internal static bool IsUsable(IPAddress address) =>
        address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
}
