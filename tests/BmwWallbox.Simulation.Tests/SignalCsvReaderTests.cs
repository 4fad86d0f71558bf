using System.Text;

namespace BmwWallbox.Simulation.Tests;

public class SignalCsvReaderTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static SignalCsvReader Reader(string csv) => new(new StringReader(csv), "day.csv", Berlin);

    private static List<SignalSample> ReadAll(string csv)
    {
        using var reader = Reader(csv);
        return reader.ReadSamples().ToList();
    }

    private static SignalCsvException Fails(string csv) =>
        Assert.Throws<SignalCsvException>(() => ReadAll(csv));

    [Fact]
    public void Reads_columns_times_and_values()
    {
        using var reader = Reader("timestamp,solar_power,house_power\n2026-06-21T12:00:00+02:00,5000.5,420\n2026-06-21T12:01:00+02:00,-3,1e3\n");

        Assert.Equal(["solar_power", "house_power"], reader.Columns);
        Assert.Equal(1, reader.IndexOf("house_power"));
        Assert.Equal(-1, reader.IndexOf("price"));
        var samples = reader.ReadSamples().ToList();
        Assert.Equal(2, samples.Count);
        Assert.Equal(new DateTimeOffset(2026, 6, 21, 10, 0, 0, TimeSpan.Zero), samples[0].Time);
        Assert.Equal(5000.5, samples[0][0]);
        Assert.Equal(420, samples[0][1]);
        Assert.Equal(-3, samples[1][0]);
        Assert.Equal(1000, samples[1][1]);
        Assert.Equal(3, samples[1].Line);
    }

    [Fact]
    public void Accepts_Z_offsets_unix_seconds_and_milliseconds()
    {
        var samples = ReadAll("timestamp,price\n2026-06-21T10:00:00Z,1\n2026-06-21T10:00:30.5+00:00,2\n1782036060,3\n1782036120000,4\n2026-06-21T12:03+02:00,5\n");

        var utc = new DateTimeOffset(2026, 6, 21, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [utc, utc.AddSeconds(30.5), utc.AddMinutes(1), utc.AddMinutes(2), utc.AddMinutes(3)],
            samples.Select(s => s.Time));
    }

    [Fact]
    public void Naive_times_are_local_to_the_given_zone()
    {
        var samples = ReadAll("timestamp,price\n2026-01-15 12:00,1\n2026-06-21T12:00:00,2\n");

        Assert.Equal(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.FromHours(1)), samples[0].Time);
        Assert.Equal(new DateTimeOffset(2026, 6, 21, 12, 0, 0, TimeSpan.FromHours(2)), samples[1].Time);
    }

    [Fact]
    public void Naive_times_in_the_autumn_overlap_stay_in_order()
    {
        // 02:30 happens twice on 25 Oct 2026: first in summer time (+02:00), then in winter time (+01:00).
        var samples = ReadAll("timestamp,price\n2026-10-25T02:30:00,1\n2026-10-25T02:00:00,2\n2026-10-25T02:30:00,3\n");

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), samples[0].Time);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero), samples[1].Time);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero), samples[2].Time);
    }

    [Fact]
    public void A_naive_time_in_the_spring_gap_is_an_error()
    {
        var e = Fails("timestamp,price\n2026-03-29T01:59:00,1\n2026-03-29T02:30:00,2\n");

        Assert.Equal(3, e.Line);
        Assert.Contains("does not exist in Europe/Berlin", e.Message);
    }

    [Fact]
    public void Empty_cells_have_no_value()
    {
        var samples = ReadAll("timestamp,solar_power,price\n2026-06-21T12:00:00Z,,0.25\n2026-06-21T12:05:00Z,800,\n");

        Assert.Null(samples[0][0]);
        Assert.False(samples[0].TryGetValue(0, out _));
        Assert.Equal(0.25, samples[0][1]);
        Assert.Equal(800, samples[1][0]);
        Assert.Null(samples[1][1]);
    }

    [Fact]
    public void A_bad_number_names_file_line_column_and_the_expected_form()
    {
        var e = Fails("timestamp,solar_power\n2026-06-21T12:00:00Z,1\n2026-06-21T12:01:00Z,12kW\n");

        Assert.Equal("day.csv", e.FileName);
        Assert.Equal(3, e.Line);
        Assert.StartsWith("day.csv:3:", e.Message);
        Assert.Contains("'solar_power'", e.Message);
        Assert.Contains("'12kW' is not a number", e.Message);
        Assert.Contains("1234.5", e.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Non_finite_numbers_are_errors(string value)
    {
        var e = Fails($"timestamp,solar_power\n2026-06-21T12:00:00Z,{value}\n");

        Assert.Equal(2, e.Line);
    }

    [Theory]
    [InlineData("2026-02-30T12:00:00Z")] // no such day
    [InlineData("2026-13-01T12:00:00Z")]
    [InlineData("2026-06-21T24:00:00Z")]
    [InlineData("2026-06-21T12:60:00Z")]
    [InlineData("2026-06-2xT12:00:00Z")]
    public void A_UTC_time_out_of_range_is_no_timestamp(string time)
    {
        var e = Fails($"timestamp,solar_power\n{time},1\n");

        Assert.Contains($"'{time}' is not a timestamp", e.Message);
    }

    [Fact]
    public void UTC_times_to_the_second_read_exactly()
    {
        var samples = ReadAll("timestamp,solar_power\n2024-02-29T23:59:59Z,1\n2024-03-01T00:00:00Z,2\n");

        Assert.Equal(new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero), samples[0].Time);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), samples[1].Time);
    }

    [Fact]
    public void A_bad_timestamp_says_what_is_expected()
    {
        var e = Fails("timestamp,solar_power\n2026-06-21T12:00:00Z,1\nyesterday,2\n");

        Assert.Equal(3, e.Line);
        Assert.Contains("'yesterday' is not a timestamp", e.Message);
        Assert.Contains("ISO-8601", e.Message);
        Assert.Contains("unix seconds", e.Message);
    }

    [Theory]
    [InlineData("2026-06-21T12:00:00Z")] // equal
    [InlineData("2026-06-21T11:59:00Z")] // earlier
    public void Timestamps_must_increase(string second)
    {
        var e = Fails($"timestamp,solar_power\n2026-06-21T12:00:00Z,1\n{second},2\n");

        Assert.Equal(3, e.Line);
        Assert.Contains("is not after the previous sample", e.Message);
        Assert.Contains("(line 2)", e.Message);
    }

    [Fact]
    public void Semicolon_files_use_decimal_commas_and_german_dates()
    {
        using var reader = Reader("timestamp;solar_power;price\n21.06.2026 12:00;1234,5;0,3012\n21.06.2026 12:15;-2;\n");

        Assert.Equal(';', reader.Separator);
        Assert.True(reader.DecimalComma);
        var samples = reader.ReadSamples().ToList();
        Assert.Equal(new DateTimeOffset(2026, 6, 21, 12, 0, 0, TimeSpan.FromHours(2)), samples[0].Time);
        Assert.Equal(1234.5, samples[0][0]);
        Assert.Equal(0.3012, samples[0][1]);
        Assert.Equal(-2, samples[1][0]);
        Assert.Null(samples[1][1]);
    }

    [Fact]
    public void A_point_in_a_semicolon_file_is_reported_not_guessed()
    {
        // "1.234" could be 1.234 or 1234 (German digit grouping): refuse rather than guess.
        var e = Fails("timestamp;solar_power\n2026-06-21T12:00:00Z;1.234\n");

        Assert.Equal(2, e.Line);
        Assert.Contains("decimal mark is ','", e.Message);
    }

    [Fact]
    public void Trailing_separators_of_Excel_exports_are_ignored()
    {
        var samples = ReadAll("timestamp;solar_power;\n2026-06-21T12:00:00Z;1,5;\n2026-06-21T12:01:00Z;2\n");

        Assert.Equal([1.5, 2.0], samples.Select(s => s[0]!.Value));
    }

    [Fact]
    public void A_missing_timestamp_column_lists_what_was_found()
    {
        var e = Assert.Throws<SignalCsvException>(() => Reader("time,solar_power\n2026-06-21T12:00:00Z,1\n"));

        Assert.Equal(1, e.Line);
        Assert.Contains("no 'timestamp' column", e.Message);
        Assert.Contains("found: time, solar_power", e.Message);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("timestamp\n", "no signal column")]
    [InlineData("timestamp,a,a\n", "names column 'a' twice")]
    [InlineData("timestamp,,a\n", "column 2 of the header has no name")]
    public void Bad_headers_are_errors(string csv, string problem)
    {
        var e = Assert.Throws<SignalCsvException>(() => Reader(csv));

        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("2026-06-21T12:00:00Z,1", "has 2 cells, the header 3")]
    [InlineData("2026-06-21T12:00:00Z,1,2,3", "more cells than the header's 3")]
    [InlineData(",1,2", "the timestamp is empty")]
    public void Rows_must_match_the_header(string row, string problem)
    {
        var e = Fails($"timestamp,a,b\n{row}\n");

        Assert.Equal(2, e.Line);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Blank_lines_CRLF_quotes_and_a_missing_final_newline_are_fine()
    {
        var samples = ReadAll("\r\n\"timestamp\",\"solar_power\"\r\n\r\n\"2026-06-21T12:00:00Z\",\" 7 \"\r\n2026-06-21T12:01:00Z,8");

        Assert.Equal([7.0, 8.0], samples.Select(s => s[0]!.Value));
        Assert.Equal([4, 5], samples.Select(s => s.Line));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Steps_last_until_the_next_sample_and_the_last_as_long_as_the_one_before(bool readWhole)
    {
        using var reader = Reader("timestamp,a\n2026-06-21T12:00:00Z,1\n2026-06-21T12:05:00Z,2\n2026-06-21T12:06:00Z,3\n");
        ISignalData data = readWhole ? LoadedSignals.Read(reader) : reader;

        var steps = data.ReadSteps().ToList();

        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)], steps.Select(s => s.Duration));
        Assert.Equal([1.0, 2.0, 3.0], steps.Select(s => s.Sample[0]!.Value));
    }

    [Fact]
    public void Samples_can_be_read_only_once()
    {
        using var reader = Reader("timestamp,a\n2026-06-21T12:00:00Z,1\n");
        _ = reader.ReadSamples().ToList();

        Assert.Throws<InvalidOperationException>(() => reader.ReadSamples());
    }

    [Fact]
    public void Opens_files_with_a_byte_order_mark_and_reports_progress()
    {
        var path = Path.Combine(Path.GetTempPath(), $"signals-{Guid.NewGuid():N}.csv");
        var csv = new StringBuilder("timestamp,a\n");
        for (var i = 0; i < 5000; i++) csv.Append($"{1782036000 + i * 60},{i}\n");
        File.WriteAllText(path, csv.ToString(), new UTF8Encoding(true));
        try
        {
            using var reader = SignalCsvReader.Open(path, Berlin);
            Assert.Equal(["a"], reader.Columns);
            var count = 0;
            foreach (var sample in reader.ReadSamples())
            {
                Assert.Equal(count++, sample[0]);
                Assert.InRange(reader.Progress!.Value, 0, 1);
            }
            Assert.Equal(5000, count);
            Assert.Equal(1, reader.Progress);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Lines_longer_than_the_read_buffer_are_read_whole()
    {
        var longLine = new string('x', 200_000);
        var lines = new CsvLineReader(new StringReader($"a\n{longLine}\r\nb"));

        Assert.True(lines.TryReadLine(out var first));
        Assert.Equal("a", first.ToString());
        Assert.True(lines.TryReadLine(out var second));
        Assert.Equal(longLine, second.ToString());
        Assert.True(lines.TryReadLine(out var third));
        Assert.Equal("b", third.ToString());
        Assert.Equal(3, lines.LineNumber);
        Assert.False(lines.TryReadLine(out _));
    }
}
