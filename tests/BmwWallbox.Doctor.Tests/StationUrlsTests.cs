namespace BmwWallbox.Doctor.Tests;

public sealed class StationUrlsTests
{
    [Fact]
    public void Station_id_with_stars_shows_raw_and_percent_encoded_url()
    {
        var input = new DoctorInput { Host = "box.example.test", Port = 9000, Stations = [new("DE*BMW*E1", "garage")] };

        var url = Assert.Single(StationUrls.Run(input));

        Assert.Equal(CheckStatus.Info, url.Status);
        Assert.Equal("garage: wss://box.example.test:9000/DE*BMW*E1  (percent-encoded: wss://box.example.test:9000/DE%2ABMW%2AE1; the box accepts the raw form)", url.Message);
    }

    [Fact]
    public void Plain_station_id_shows_one_url()
    {
        var input = new DoctorInput { Host = "box.example.test", Port = 443, Stations = [new("carport1", "carport")] };

        Assert.Equal("carport: wss://box.example.test:443/carport1", Assert.Single(StationUrls.Run(input)).Message);
    }

    [Fact]
    public void Unknown_host_uses_a_placeholder_and_asks_for_it()
    {
        var input = new DoctorInput { Port = 9000, Stations = [new("s1", "garage")] };

        var checks = StationUrls.Run(input);

        Assert.Equal("garage: wss://<host>:9000/s1", checks[0].Message);
        Assert.Contains("--host", checks[1].Fix);
    }

    [Fact]
    public void Ipv6_host_is_bracketed()
    {
        var input = new DoctorInput { Host = "fd00::5", Port = 9000, Stations = [new("s1", "garage")] };

        Assert.Equal("garage: wss://[fd00::5]:9000/s1", Assert.Single(StationUrls.Run(input)).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("DE:BMW")]
    [InlineData("a-station-id-that-is-far-too-long-for-ocpp-to-accept-it")]
    public void Station_id_unusable_in_ocpp_fails(string id)
    {
        var input = new DoctorInput { Host = "h", Stations = [new(id, "garage")] };

        Assert.Equal(CheckStatus.Fail, Assert.Single(StationUrls.Run(input)).Status);
    }

    [Fact]
    public void No_station_fails()
    {
        var check = Assert.Single(StationUrls.Run(new DoctorInput { Host = "h" }));

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("ocpp.stations", check.Fix);
    }
}
