using System.Net;
using System.Net.WebSockets;
using BmwWallbox.Ocpp.Tests.Support;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>ocpp.accept_unknown: pending — an unknown station is let in, told Pending, and waits for a person.</summary>
public sealed class PendingStationTests : IDisposable
{
    private const string NewId = "DE*BMW*NEW0001";
    private const string NewPassword = "first-password-0123456";
    private const string Boot = """{"chargingStation":{"vendorName":"BMW","model":"Wallbox Plus","serialNumber":"SN-77"},"reason":"PowerUp"}""";
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-pending-").FullName;

    private string FilePath => Path.Combine(_dir, "stations.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<OcppTestServer> StartAsync(StationApprovals approvals) => OcppTestServer.StartAsync(
        o => o with { AcceptUnknown = UnknownStationPolicy.Pending, PendingInterval = TimeSpan.FromSeconds(90) }, approvals: approvals);

    private static async Task<TestStation> ConnectAsync(OcppTestServer server, string password = NewPassword)
    {
        var client = server.CreateClient(NewId, password);
        await client.ConnectAsync(server.Url(Uri.EscapeDataString(NewId)), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        return new TestStation(client);
    }

    [Fact]
    public async Task Unknown_station_is_answered_Pending_with_the_interval_and_recorded_for_approval()
    {
        var approvals = new StationApprovals(FilePath);
        await using var server = await StartAsync(approvals);
        await using var station = await ConnectAsync(server);

        var boot = await station.CallAsync("BootNotification", Boot);

        Assert.Equal(3, boot[0].GetInt32());
        Assert.Equal("Pending", boot[2].GetProperty("status").GetString());
        Assert.Equal(90, boot[2].GetProperty("interval").GetInt32());
        var waiting = Assert.Single(approvals.All);
        Assert.Equal((NewId, ApprovalStatus.Pending, "BMW", "Wallbox Plus", "SN-77"), (waiting.Id, waiting.Status, waiting.Vendor, waiting.Model, waiting.SerialNumber));
        Assert.Contains(NewId, server.Server.PendingConnected);
        // It is no station of ours: no state, no controller, no commands.
        Assert.Null(server.Server.States.Get(NewId));
    }

    [Fact]
    public async Task While_pending_anything_but_BootNotification_gets_SecurityError()
    {
        await using var server = await StartAsync(new StationApprovals(FilePath));
        await using var station = await ConnectAsync(server);

        var heartbeat = await station.CallAsync("Heartbeat", "{}");
        var status = await station.CallAsync("StatusNotification", """{"timestamp":"2026-01-01T00:00:00Z","connectorStatus":"Available","evseId":1,"connectorId":1}""");

        Assert.Equal((4, "SecurityError"), (heartbeat[0].GetInt32(), heartbeat[2].GetString()));
        Assert.Equal("SecurityError", status[2].GetString());
    }

    [Fact]
    public async Task The_first_password_is_kept_another_one_gets_401()
    {
        var approvals = new StationApprovals(FilePath);
        await using var server = await StartAsync(approvals);
        await using (await ConnectAsync(server)) { }

        using var impostor = server.CreateClient(NewId, "another-password-999999");
        await Assert.ThrowsAsync<WebSocketException>(() => impostor.ConnectAsync(server.Url(Uri.EscapeDataString(NewId)), CancellationToken.None).WaitAsync(TestTimeouts.Guard));

        Assert.Equal(HttpStatusCode.Unauthorized, impostor.HttpStatusCode);
        Assert.Equal(NewPassword, Assert.Single(approvals.All).Password);
    }

    [Fact]
    public async Task A_rejected_station_gets_404_and_a_forgotten_one_may_ask_again()
    {
        var approvals = new StationApprovals(FilePath);
        await using var server = await StartAsync(approvals);
        await using (await ConnectAsync(server)) { }
        Assert.True(approvals.Reject(NewId));

        using var refused = server.CreateClient(NewId, NewPassword);
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(server.Url(Uri.EscapeDataString(NewId)), CancellationToken.None).WaitAsync(TestTimeouts.Guard));
        Assert.Equal(HttpStatusCode.NotFound, refused.HttpStatusCode);

        Assert.True(approvals.Forget(NewId));
        await using var again = await ConnectAsync(server, "a-new-password-0000000");
        Assert.Equal("Pending", (await again.CallAsync("BootNotification", Boot))[2].GetProperty("status").GetString());
        Assert.Equal("a-new-password-0000000", Assert.Single(approvals.All).Password);
    }

    [Fact]
    public async Task No_more_than_max_pending_strangers_are_kept()
    {
        var approvals = new StationApprovals(FilePath, maxPending: 1);
        await using var server = await OcppTestServer.StartAsync(o => o with { AcceptUnknown = UnknownStationPolicy.Pending, MaxPending = 1 }, approvals: approvals);
        await using (await ConnectAsync(server)) { }

        using var second = server.CreateClient("DE*BMW*NEW0002", NewPassword);
        await Assert.ThrowsAsync<WebSocketException>(() => second.ConnectAsync(server.Url("DE*BMW*NEW0002"), CancellationToken.None).WaitAsync(TestTimeouts.Guard));

        Assert.Equal(HttpStatusCode.NotFound, second.HttpStatusCode);
        Assert.Single(approvals.All);
    }

    [Fact]
    public async Task Configured_stations_are_served_as_before()
    {
        await using var server = await StartAsync(new StationApprovals(FilePath));
        await using var station = await server.ConnectStationAsync();

        var boot = await station.CallAsync("BootNotification", Boot);

        Assert.Equal("Accepted", boot[2].GetProperty("status").GetString());
        Assert.False(File.Exists(FilePath));
    }
}
