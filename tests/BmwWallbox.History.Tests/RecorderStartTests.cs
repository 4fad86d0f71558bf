namespace BmwWallbox.History.Tests;

public sealed class RecorderStartTests
{
    [Fact]
    public async Task A_file_that_is_not_a_database_stops_the_start_with_a_message_naming_it()
    {
        await using var rig = new Support.HistoryRig();
        await File.WriteAllTextAsync(rig.DatabasePath, new string('x', 200));

        var e = Assert.Throws<InvalidOperationException>(rig.Recorder.Start);

        Assert.Contains(rig.DatabasePath, e.Message);
        Assert.Contains("history.enabled: false", e.Message);
    }
}
