using System.Net;
using System.Net.Sockets;

namespace BmwWallbox.Doctor;

/// <summary>
/// Step 4, with <c>--host</c>: the BMW box dials a DNS name (it fails with a bare IP address), so the name must
/// lead to this machine. Resolved here, as the box's network would resolve it: not at all (the box finds no
/// server), to another address (often the router's public one, where only a port forward would bring the box
/// back in), or only to a loopback address (this machine's own /etc/hosts, which the box never asks).
/// </summary>
internal sealed class HostNameCheck(HostLookup lookup, TimeProvider time)
{
    private const int Step = DoctorSteps.Urls;

    /// <summary>Null without <c>--host</c>, or when it is an IP address (step 2 warns about that).</summary>
    public async Task<DoctorCheck?> RunAsync(DoctorInput input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Host) || IPAddress.TryParse(input.Host, out _)) return null;
        var host = input.Host;
        // Looked up once: the interfaces are read, and the fix names them, in every outcome.
        var targets = TargetAddresses(input);
        var named = Named(targets);
        IPAddress[] resolved;
        using var timeout = new CancellationTokenSource(input.HandshakeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            resolved = [.. (await lookup.Resolve(host, linked.Token)).Where(HostLookup.IsUsable).Distinct()];
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DoctorCheck.Warn(Step, "url.dns", $"{host}: no DNS answer within {input.HandshakeTimeout.TotalSeconds:0} s on this machine",
                $"check that your network's DNS (usually the router) answers {host} with {named}");
        }
        catch (SocketException e)
        {
            return NotFound(host, named, $" ({e.Message})");
        }

        if (resolved.Length == 0) return NotFound(host, named, "");
        if (resolved.Any(targets.Contains))
            return DoctorCheck.Ok(Step, "url.dns", $"{host} resolves to {string.Join(", ", resolved.Where(targets.Contains))}: this machine");
        if (resolved.All(IPAddress.IsLoopback))
            return DoctorCheck.Warn(Step, "url.dns",
                $"{host} resolves to {string.Join(", ", resolved)} only on this machine (its own hosts file); the box asks your network's DNS instead",
                $"check that your router's DNS answers {host} with {named}");
        return DoctorCheck.Warn(Step, "url.dns",
            $"{host} resolves to {string.Join(", ", resolved)}, not to this machine ({named}): the box would connect there",
            $"point {host} at {named} in your router's local DNS (a router with DNS rebind protection needs an exception for it), " +
            $"or forward port {input.Port} at that address to this machine");
    }

    private static DoctorCheck NotFound(string host, string named, string why) =>
        DoctorCheck.Fail(Step, "url.dns", $"{host} does not resolve to any address{why}: the box cannot find bmw-rules by this name",
            $"give {host} a DNS entry that points at {named} (your router's local DNS, or a dynamic DNS name)");

    /// <summary>Where the box must arrive: the bound address, or any address of this machine but loopback.</summary>
    private HashSet<IPAddress> TargetAddresses(DoctorInput input)
    {
        if (IPAddress.TryParse(input.BindAddress, out var bind) && !bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
            return [bind];
        return [.. lookup.LocalAddresses().Where(a => HostLookup.IsUsable(a) && !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)];
    }

    /// <summary>The addresses to name in a fix: the IPv4 ones where there are any (what home routers' DNS entries take).</summary>
    private static string Named(HashSet<IPAddress> targets)
    {
        var v4 = targets.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
        var named = (v4.Count > 0 ? v4 : [.. targets]).Take(3).ToList();
        return named.Count == 0 ? "this machine's LAN address" : string.Join(" or ", named);
    }
}
