using System.Net;
using System.Net.WebSockets;
using BmwWallbox.Ocpp.Tests.Support;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>ocpp.station_groups: a station whose id has a group's prefix logs in with the group's password and is recorded as its member.</summary>
public sealed class StationGroupTests : IDisposable
{
    private const string GroupPassword = "garage-shared-secret-01";
    private const string Boot = """{"chargingStation":{"vendorName":"BMW","model":"Wallbox Plus","serialNumber":"SN-07"},"reason":"PowerUp"}""";
    private static readonly StationGroupOptions Garage = new() { Prefix = "GARAGE*", Password = GroupPassword, Name = "garage-{suffix}", MaxStations = 2 };
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-group-").FullName;

    private string FilePath => Path.Combine(_dir, "stations.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>accept_unknown stays reject: only the group's prefix lets a station in that is not configured.</summary>
    private Task<OcppTestServer> StartAsync(StationApprovals approvals)
        => OcppTestServer.StartAsync(o => o with { StationGroups = [Garage] }, approvals: approvals);

    private static async Task<HttpStatusCode?> RefusedAsync(OcppTestServer server, string id, string password)
    {
        using var client = server.CreateClient(id, password);
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(server.Url(Uri.EscapeDataString(id)), CancellationToken.None).WaitAsync(TestTimeouts.Guard));
        return client.HttpStatusCode;
    }

    [Fact]
    public async Task A_member_with_the_group_password_is_recorded_approved_and_waits_Pending_until_it_is_served()
    {
        var approvals = new StationApprovals(FilePath);
        await using var server = await StartAsync(approvals);
        var client = server.CreateClient("GARAGE*07", GroupPassword);
        await client.ConnectAsync(server.Url(Uri.EscapeDataString("GARAGE*07")), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        await using var station = new TestStation(client);

        Assert.Equal("Pending", (await station.CallAsync("BootNotification", Boot))[2].GetProperty("status").GetString());
        var member = Assert.Single(approvals.All);
        Assert.Equal(("GARAGE*07", ApprovalStatus.Approved, "GARAGE*", "SN-07"), (member.Id, member.Status, member.Group, member.SerialNumber));
        Assert.Equal("", member.Password); // the shared password is kept once, in the config
        var served = Assert.Single(approvals.Approved([Garage]));
        Assert.Equal(("GARAGE*07", GroupPassword, "garage-07"), (served.Id, served.Password, served.Name));
        // A group no longer configured serves its members no more.
        Assert.Empty(approvals.Approved([]));
    }

    [Fact]
    public async Task The_wrong_password_gets_401_another_prefix_404_a_rejected_member_404_and_a_full_group_404()
    {
        var approvals = new StationApprovals(FilePath);
        await using var server = await StartAsync(approvals);

        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedAsync(server, "GARAGE*01", "not-the-group-password"));
        Assert.Equal(HttpStatusCode.NotFound, await RefusedAsync(server, "DEPOT*01", GroupPassword));
        Assert.Empty(approvals.All);

        await using (var first = new TestStation(server.CreateClient("GARAGE*01", GroupPassword)))
            await first.Socket.ConnectAsync(server.Url(Uri.EscapeDataString("GARAGE*01")), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        Assert.True(approvals.Reject("GARAGE*01"));
        Assert.Equal(HttpStatusCode.NotFound, await RefusedAsync(server, "GARAGE*01", GroupPassword));

        await using (var second = new TestStation(server.CreateClient("GARAGE*02", GroupPassword)))
            await second.Socket.ConnectAsync(server.Url(Uri.EscapeDataString("GARAGE*02")), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        Assert.Equal(HttpStatusCode.NotFound, await RefusedAsync(server, "GARAGE*03", GroupPassword)); // max_stations 2
        Assert.Equal(["GARAGE*01", "GARAGE*02"], approvals.All.Select(s => s.Id));
    }

    [Theory]
    [InlineData("", GroupPassword, "{id}", "ocpp.station_groups[0]", "station group without prefix")]
    [InlineData("GAR/AGE", GroupPassword, "{id}", "ocpp.station_groups[0].prefix", "station group prefix 'GAR/AGE' cannot begin a station id")]
    [InlineData("GARAGE*", "short", "{id}", "ocpp.station_groups[0].password", "the password of station group 'GARAGE*' has 5 characters")]
    [InlineData("GARAGE*", GroupPassword, "garage", "ocpp.station_groups[0].name", "station group name 'garage' would give every station of the group the same name")]
    [InlineData("GARAGE*", GroupPassword, "Garage {suffix}", "ocpp.station_groups[0].name", "station group name 'Garage {suffix}' is not topic-safe")]
    public void A_bad_group_is_reported_at_its_key(string prefix, string password, string name, string key, string message)
    {
        var problem = Assert.Single(new OcppOptions { StationGroups = [new() { Prefix = prefix, Password = password, Name = name }] }.Problems());
        Assert.Equal((key, message), (problem.Key, problem.Message));
    }

    [Fact]
    public void Overlapping_prefixes_are_refused()
    {
        var problem = Assert.Single(new OcppOptions { StationGroups = [Garage, Garage with { Prefix = "GARAGE*A" }] }.Problems());
        Assert.Equal(("ocpp.station_groups[1].prefix", "station group prefixes 'GARAGE*' and 'GARAGE*A' overlap"), (problem.Key, problem.Message));
    }
}
