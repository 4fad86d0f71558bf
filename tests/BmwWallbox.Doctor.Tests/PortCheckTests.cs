using System.Net;
using System.Net.Sockets;

namespace BmwWallbox.Doctor.Tests;

public sealed class PortCheckTests
{
    private static DoctorCheck Check(int port, int? daemonPid = null) =>
        new PortCheck(new PortHolderFinder()).Run(new DoctorInput { BindAddress = "127.0.0.1", Port = port }, daemonPid);

    [Fact]
    public void Free_port_is_ok()
    {
        var port = FreePort.Next();
        var check = Check(port);

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains($"127.0.0.1:{port} is free", check.Message);
    }

    [Fact]
    public void Port_held_in_this_process_names_this_process()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var check = Check(port);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains($"(pid {Environment.ProcessId})", check.Message);
        Assert.Equal("stop it or change ocpp.port", check.Fix);
    }

    [Fact]
    public void Port_held_by_the_process_of_the_status_file_counts_as_bmw_rules()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        var check = Check(((IPEndPoint)listener.LocalEndpoint).Port, daemonPid: Environment.ProcessId);

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains($"held by bmw-rules (pid {Environment.ProcessId})", check.Message);
    }

    [Fact]
    public async Task Port_held_by_another_program_fails_with_its_command_line_and_pid()
    {
        await using var other = await ListeningProcess.StartAsync("some-other-server");

        var check = Check(other.Port);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains($"(pid {other.Pid})", check.Message);
        Assert.Contains("python3", check.Message);
    }

    [Fact]
    public async Task Port_held_by_a_running_bmw_rules_is_ok()
    {
        await using var daemon = await ListeningProcess.StartAsync("bmw-rules");

        var check = Check(daemon.Port);

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Equal($"127.0.0.1:{daemon.Port} held by bmw-rules (pid {daemon.Pid})", check.Message);
    }

    [Fact]
    public void Bind_address_that_is_not_an_ip_fails()
    {
        var check = new PortCheck(new PortHolderFinder()).Run(new DoctorInput { BindAddress = "localhost", Port = 9000 });

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("'localhost' is not an IP address", check.Message);
    }

    [Fact]
    public void Port_out_of_range_fails()
    {
        var check = new PortCheck(new PortHolderFinder()).Run(new DoctorInput { Port = 70000 });

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("70000", check.Message);
    }

    [Fact]
    public void Proc_net_tcp_lines_yield_only_listening_sockets_of_the_port()
    {
        string[] lines =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 00000000:2328 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0",
            "   1: 0100007F:2328 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 20 4 30 10 -1",
            "   2: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 100 0 0 10 0",
        ];

        Assert.Equal(["111"], PortHolderFinder.ListeningInodes(lines, 9000));
    }
}
