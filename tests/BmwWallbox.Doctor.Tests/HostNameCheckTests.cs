using System.Net;
using System.Net.Sockets;
using BmwWallbox.Core;

namespace BmwWallbox.Doctor.Tests;

/// <summary>
/// Step 4 with --host: the box dials a DNS name, so the name must lead to this machine. The system's DNS where it
/// can answer (localhost); elsewhere a fixed answer, since this machine's DNS cannot be told what to say.
/// </summary>
public sealed class HostNameCheckTests
{
    private static readonly IPAddress Lan = IPAddress.Parse("192.168.1.20");
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    private static DoctorInput Input(string host, string bind = "0.0.0.0") =>
        new() { Host = host, BindAddress = bind, Port = 9000, Stations = [new("DE*BMW*E1", "garage")] };

    private static HostLookup Answering(params string[] addresses) =>
        new((_, _) => Task.FromResult(addresses.Select(IPAddress.Parse).ToArray()), () => [Lan, IPAddress.Loopback]);

    private Task<DoctorCheck?> RunAsync(DoctorInput input, HostLookup lookup) =>
        new HostNameCheck(lookup, _clock).RunAsync(input, CancellationToken.None);

    [Fact]
    public async Task A_name_of_this_machine_passes()
    {
        var check = await RunAsync(Input("wallbox.example.com"), Answering("192.168.1.20"));

        Assert.Equal(CheckStatus.Ok, check!.Status);
        Assert.Equal("wallbox.example.com resolves to 192.168.1.20: this machine", check.Message);
    }

    /// <summary>A dynamic DNS name usually points at the router's public address: the box only gets back in through a port forward.</summary>
    [Fact]
    public async Task A_name_that_leads_elsewhere_says_where_and_what_to_point_it_at()
    {
        var check = await RunAsync(Input("wallbox.example.com"), Answering("203.0.113.7"));

        Assert.Equal(CheckStatus.Warn, check!.Status);
        Assert.Equal("wallbox.example.com resolves to 203.0.113.7, not to this machine (192.168.1.20): the box would connect there", check.Message);
        Assert.StartsWith("point wallbox.example.com at 192.168.1.20 in your router's local DNS", check.Fix);
        Assert.EndsWith("or forward port 9000 at that address to this machine", check.Fix);
    }

    [Fact]
    public async Task A_server_bound_to_one_address_must_be_reached_there()
    {
        var check = await RunAsync(Input("wallbox.example.com", bind: "192.168.1.99"), Answering("192.168.1.20"));

        Assert.Equal(CheckStatus.Warn, check!.Status);
        Assert.Contains("not to this machine (192.168.1.99)", check.Message);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_fails()
    {
        var lookup = new HostLookup((_, _) => throw new SocketException((int)SocketError.HostNotFound), () => [Lan]);

        var check = await RunAsync(Input("wallbox.example.com"), lookup);

        Assert.Equal(CheckStatus.Fail, check!.Status);
        Assert.Contains("does not resolve to any address", check.Message);
        Assert.Contains("points at 192.168.1.20", check.Fix);
    }

    [Fact]
    public async Task A_DNS_that_does_not_answer_is_given_up_after_the_timeout()
    {
        var lookup = new HostLookup(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return []; }, () => [Lan]);

        var running = RunAsync(Input("wallbox.example.com"), lookup);
        _clock.Advance(new DoctorInput().HandshakeTimeout);
        var check = await running.WaitAsync(TestTimeouts.Guard);

        Assert.Equal(CheckStatus.Warn, check!.Status);
        Assert.Contains("no DNS answer within 5 s", check.Message);
    }

    /// <summary>Debian names the machine itself 127.0.1.1 in /etc/hosts; that answer is this machine's, never the box's.</summary>
    [Fact]
    public async Task A_name_only_this_machines_hosts_file_knows_is_a_warning()
    {
        var check = await RunAsync(Input("localhost"), HostLookup.System);

        Assert.Equal(CheckStatus.Warn, check!.Status);
        Assert.Contains("only on this machine (its own hosts file)", check.Message);
    }

    [Fact]
    public async Task Bound_to_loopback_for_a_test_on_this_machine_localhost_passes()
    {
        var check = await RunAsync(Input("localhost", bind: "127.0.0.1"), HostLookup.System);

        Assert.Equal(CheckStatus.Ok, check!.Status);
    }

    [Fact]
    public async Task Without_a_host_name_nothing_is_looked_up()
    {
        var lookup = new HostLookup((_, _) => throw new InvalidOperationException("no lookup expected"), () => []);

        Assert.Null(await RunAsync(Input("192.168.1.20"), lookup));
        Assert.Null(await RunAsync(new DoctorInput(), lookup));
    }
}
