namespace BmwWallbox.Ocpp.Tests;

/// <summary>ocpp.password_file: one station a line, every bad line reported at its line and column.</summary>
public sealed class StationFileTests
{
    [Fact]
    public void Lines_become_stations_named_after_their_id_unless_named()
    {
        var (entries, problems) = StationFile.Parse("""
            # depot, row A
            DEPOT*A001  password-a001-0123456
            DEPOT*A002	password-a002-0123456   entrance

            """);

        Assert.Empty(problems);
        Assert.Equal([("DEPOT*A001", "password-a001-0123456", "depot-a001", 2), ("DEPOT*A002", "password-a002-0123456", "entrance", 3)],
            entries.Select(e => (e.Station.Id, e.Station.Password, e.Station.Name, e.Line)));
    }

    [Fact]
    public void Each_bad_line_is_reported_at_its_line_and_column_and_left_out()
    {
        var (entries, problems) = StationFile.Parse(
            "OK*1 password-ok-0123456789\n" +
            "ONLY-ID\n" +
            "SHORT*1 short\n" +
            "OK*1 password-ok-0123456789 other\n" +
            "NAMED*1 password-ok-0123456789 Not_A_Slug\n" +
            "ok-1 password-ok-0123456789\n");

        Assert.Equal("OK*1", Assert.Single(entries).Station.Id);
        Assert.Equal([(2, 1), (3, 9), (4, 1), (5, 32), (6, 1)], problems.Select(p => (p.Line, p.Column)));
        Assert.Contains("found 1 field(s)", problems[0].Message);
        Assert.Contains("has 5 characters", problems[1].Message);
        Assert.Contains("listed twice (first on line 1)", problems[2].Message);
        Assert.Contains("not topic-safe", problems[3].Message);
        Assert.Contains("'ok-1' is used twice (first on line 1)", problems[4].Message);
    }

    [Theory]
    [InlineData("DE*BMW*E123", "de-bmw-e123")]
    [InlineData("Garage_2", "garage_2")]
    [InlineData("**", "station")]
    public void Names_derived_from_ids_are_topic_safe(string id, string name) => Assert.Equal(name, StationNames.FromId(id));
}
