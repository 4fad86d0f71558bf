using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>Scripts read the history's open session of their station: wallbox.sessionEnergy and wallbox.pluggedInAt.</summary>
public sealed class SessionReadTests
{
    private const string Script = """
        - id: js
          when: [{ every: 1m }]
          then:
            - script: |
                log.info(`${wallbox.sessionEnergy} ${wallbox.pluggedInAt}`);
        """;

    [Fact]
    public async Task Scripts_read_the_session_energy_and_plug_in_time_and_null_without_a_session()
    {
        var sessions = new Sessions();
        await using var h = new Harness(sessions: sessions);
        await h.StartAsync(Script);

        async Task<string> Logged()
        {
            var run = h.NextTrace("js");
            h.Clock.Advance(TimeSpan.FromMinutes(1));
            return (await run).Actions.Single(a => a.Action == "log.info").Message;
        }

        Assert.Equal("null null", await Logged());
        sessions.Open = new OpenSession(new DateTimeOffset(2025, 6, 2, 7, 30, 0, TimeSpan.FromHours(2)), 3.14159);
        Assert.Equal("3.142 2025-06-02T05:30:00Z", await Logged());
    }

    [Fact]
    public async Task Without_a_history_both_read_null()
    {
        await using var h = new Harness();
        await h.StartAsync(Script);
        var run = h.NextTrace("js");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Contains((await run).Actions, a => a.Action == "log.info" && a.Message == "null null");
    }

    private sealed class Sessions : IOpenSessions
    {
        public OpenSession? Open { get; set; }

        public OpenSession? OpenSessionOf(string stationId) => stationId == "cp-1" ? Open : null;
    }
}
