using BmwWallbox.Core;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Tests.Configuration;

/// <summary>ocpp.password_file and ocpp.accept_unknown as validate and run read them.</summary>
public sealed class StationSourcesConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-stations-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigResult Load(string ocpp, string? passwords = null)
    {
        if (passwords is not null) File.WriteAllText(Path.Combine(_dir, "stations.txt"), passwords);
        var path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, "ocpp:\n" + ocpp);
        return ConfigLoader.Load(path);
    }

    [Fact]
    public void The_password_file_adds_its_stations_and_an_entry_in_config_yaml_wins()
    {
        var result = Load("""
              password_file: stations.txt
              stations:
                - { id: "DEPOT*A002", password: "written-in-config-0001", name: entrance }
            """, "DEPOT*A001 password-a001-0123456\nDEPOT*A002 password-a002-0123456\nDEPOT*A003 password-a003-0123456 row-a-3\n");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal([("DEPOT*A002", "written-in-config-0001", "entrance"), ("DEPOT*A001", "password-a001-0123456", "depot-a001"), ("DEPOT*A003", "password-a003-0123456", "row-a-3")],
            result.Config!.Ocpp.Stations.Select(s => (s.Id, s.Password, s.Name)));
    }

    [Fact]
    public void Bad_lines_are_reported_at_the_password_files_line_and_column()
    {
        var result = Load("""
              password_file: stations.txt
              stations:
                - { id: "E1", password: "written-in-config-0001", name: garage }
            """, "# comment\nDEPOT*A001 short\nDEPOT*A002 password-a002-0123456 garage\n");

        Assert.False(result.Ok);
        var file = Path.Combine(_dir, "stations.txt");
        Assert.Equal([(file, 2, 12, "the password of station 'DEPOT*A001' has 5 characters"), (file, 3, 1, "station name 'garage' of 'DEPOT*A002' is already used in ocpp.stations")],
            result.Problems.Where(p => p.Severity == Severity.Error).Select(p => (p.File, p.Line, p.Column, p.Message)));
        Assert.Equal(["E1"], result.Config!.Ocpp.Stations.Select(s => s.Id));
    }

    [Fact]
    public void A_missing_password_file_is_reported_at_its_key()
    {
        var result = Load("  password_file: nowhere.txt\n");

        var problem = Assert.Single(result.Problems, p => p.Message.StartsWith("cannot read ocpp.password_file", StringComparison.Ordinal));
        Assert.Equal((2, 18), (problem.Line, problem.Column));
    }

    [Fact]
    public void Accept_unknown_takes_reject_or_pending_and_pending_needs_no_configured_station()
    {
        Assert.True(Load("  accept_unknown: pending\n").Ok);

        var wrong = Load("  accept_unknown: maybe\n  stations:\n    - { id: E1, password: \"written-in-config-0001\", name: garage }\n");
        var problem = Assert.Single(wrong.Problems, p => p.Severity == Severity.Error);
        Assert.Equal(("ocpp.accept_unknown 'maybe' is not a policy", 2, 19), (problem.Message, problem.Line, problem.Column));
        Assert.Contains(Load("  accept_unknown: reject\n").Problems, p => p.Message.StartsWith("no station configured", StringComparison.Ordinal));
    }

    [Fact]
    public void Station_groups_need_no_configured_station_and_a_bad_one_is_reported_at_its_line()
    {
        var good = Load("""
              station_groups:
                - { prefix: "GARAGE*", password: "garage-shared-secret-01", name: "garage-{suffix}", max_stations: 50 }
            """);
        Assert.True(good.Ok, string.Join("\n", good.Problems));
        var group = Assert.Single(good.Config!.Ocpp.StationGroups);
        Assert.Equal(("GARAGE*", "garage-shared-secret-01", "garage-{suffix}", 50), (group.Prefix, group.Password, group.Name, group.MaxStations));

        var bad = Load("""
              station_groups:
                - prefix: "GARAGE*"
                  password: "garage-shared-secret-01"
                  name: garage
            """);
        var problem = Assert.Single(bad.Problems, p => p.Severity == Severity.Error);
        Assert.Equal(("station group name 'garage' would give every station of the group the same name", 5, 13), (problem.Message, problem.Line, problem.Column));
    }

    [Fact]
    public void A_station_may_not_be_named_stations_or_rules_whose_topics_are_bmw_rules_own()
    {
        var result = Load("""
              password_file: stations.txt
              stations:
                - { id: "E1", password: "written-in-config-0001", name: stations }
            """, "RULES password-rules-0123456\n");

        Assert.Equal([(Path.Combine(_dir, "config.yaml"), 4, 61, "station name 'stations' is reserved: <base>/stations/… holds bmw-rules' own topics"),
                (Path.Combine(_dir, "stations.txt"), 1, 1, "station name 'rules' is reserved: <base>/rules/… holds bmw-rules' own topics")],
            result.Problems.Where(p => p.Severity == Severity.Error).Select(p => (p.File, p.Line, p.Column, p.Message)));
    }
}
