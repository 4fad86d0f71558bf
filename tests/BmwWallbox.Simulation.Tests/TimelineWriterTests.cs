namespace BmwWallbox.Simulation.Tests;

public class TimelineWriterTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Writes_signals_as_recorded_then_the_simulated_flows()
    {
        using var reader = new SignalCsvReader(
            new StringReader("timestamp,solar_power,price\n2026-06-21T12:00:00+02:00,5000,\n2026-06-21T12:01:00+02:00,5100.25,0.3\n"), "day.csv", Berlin);
        var samples = reader.ReadSamples().ToList();
        var text = new StringWriter();

        using (var timeline = new TimelineWriter(text, reader.Columns, Berlin))
        {
            timeline.Write(new SimulationStep(samples[0].Time, TimeSpan.FromMinutes(1), 16, "default",
                new PowerBalance(5000, 1000, 7000), null, true, 20.04), samples[0]);
            timeline.Write(new SimulationStep(samples[1].Time, TimeSpan.FromMinutes(1), 0, "rule:pause, \"cheap\"",
                new PowerBalance(5100.25, 400, 0), 0.3, true), samples[1]);
        }

        var lines = text.ToString().Split('\n');
        Assert.Equal(
            "time,local_time,solar_power,price,limit_a,limit_source,car_w,grid_import_w,grid_export_w,solar_w,house_w,soc_percent",
            lines[0]);
        Assert.Equal("2026-06-21T10:00:00Z,2026-06-21 12:00:00,5000,,16,default,7000,3000,0,5000,1000,20", lines[1]);
        Assert.Equal("2026-06-21T10:01:00Z,2026-06-21 12:01:00,5100.25,0.3,0,\"rule:pause, \"\"cheap\"\"\",0,0,4700,5100,400,", lines[2]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void Local_times_follow_daylight_saving_time()
    {
        // 25 Oct 2026: 00:30Z is 02:30 summer time, 01:30Z is 02:30 again in winter time, 02:30Z is 03:30.
        using var reader = new SignalCsvReader(
            new StringReader("timestamp,a\n2026-10-25T00:30:00Z,1\n2026-10-25T01:30:00Z,2\n2026-10-25T02:30:00Z,3\n"), "day.csv", Berlin);
        var text = new StringWriter();
        using (var timeline = new TimelineWriter(text, reader.Columns, Berlin))
            foreach (var (sample, duration) in reader.ReadSteps())
                timeline.Write(new SimulationStep(sample.Time, duration, 6, "default", default, null, false), sample);

        var localTimes = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[1]);
        Assert.Equal(["2026-10-25 02:30:00", "2026-10-25 02:30:00", "2026-10-25 03:30:00"], localTimes);
    }

    [Fact]
    public void Rejects_a_sample_of_another_file()
    {
        using var reader = new SignalCsvReader(new StringReader("timestamp,a\n2026-06-21T12:00:00Z,1\n"), "day.csv", Berlin);
        var sample = reader.ReadSamples().Single();
        using var timeline = new TimelineWriter(new StringWriter(), ["a", "b"], Berlin);

        Assert.Throws<ArgumentException>(() => timeline.Write(Steps.Minute(0, 16), sample));
    }
}
