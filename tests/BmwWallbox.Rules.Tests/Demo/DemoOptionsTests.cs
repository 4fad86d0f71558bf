using BmwWallbox.Rules.Cli;
using BmwWallbox.Rules.Demo;

namespace BmwWallbox.Rules.Tests.Demo;

public class DemoOptionsTests
{
    private static (DemoOptions? Options, string? Error) Parse(params string[] args)
    {
        // An unknown option is refused by the parser already, before DemoOptions sees it.
        var (line, error) = CommandLine.Parse(["demo", .. args]);
        return line is null ? (null, error) : DemoOptions.Parse(line);
    }

    [Fact]
    public void Defaults_play_a_day_in_four_minutes_from_dawn_until_stopped()
    {
        var (options, error) = Parse();

        Assert.Null(error);
        Assert.Equal(360, options!.Speed);
        Assert.Equal(TimeSpan.FromDays(1) / options.Speed, TimeSpan.FromMinutes(4));
        Assert.Equal(new TimeOnly(6, 0), options.Start);
        Assert.Null(options.Duration);
        Assert.Null(options.Days);
        Assert.Equal(0, options.Port);
        Assert.False(options.Verbose);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var (options, error) = Parse("--speed", "720", "--start", "5:30", "--duration", "90s", "--days", "2",
            "--port", "9100", "--mqtt-port", "1884", "--verbose");

        Assert.Null(error);
        Assert.Equal(new DemoOptions
        {
            Speed = 720, Start = new TimeOnly(5, 30), Duration = TimeSpan.FromSeconds(90), Days = 2,
            Port = 9100, MqttPort = 1884, Verbose = true,
        }, options);
    }

    [Theory]
    [InlineData("--speed", "0", "--speed must be a number from 1")]
    [InlineData("--speed", "fast", "--speed must be a number from 1")]
    [InlineData("--speed", "50000", "--speed must be a number from 1")]
    [InlineData("--start", "25:00", "--start must be a time of day")]
    [InlineData("--duration", "-5s", "--duration must be a positive duration")]
    [InlineData("--duration", "soon", "--duration must be a positive duration")]
    [InlineData("--days", "0", "--days must be a number of virtual days")]
    [InlineData("--port", "70000", "--port must be a TCP port")]
    [InlineData("--mqtt-port", "-1", "--mqtt-port must be a TCP port")]
    [InlineData("--sped", "10", "unknown option --sped, did you mean --speed?")]
    [InlineData("--config", "config.yaml", "demo builds its own config")]
    public void A_bad_value_gets_an_error_naming_the_option(string option, string value, string expected)
    {
        var (options, error) = Parse(option, value);

        Assert.Null(options);
        Assert.StartsWith(expected, error);
        if (!expected.Contains("unknown option") && !expected.Contains("own config")) Assert.Contains($"'{value}'", error);
    }

    [Fact]
    public async Task The_command_refuses_bad_options_with_the_usage_exit_code_and_starts_nothing()
    {
        var (line, _) = CommandLine.Parse(["demo", "--speed", "0"]);

        Assert.Equal(ExitCodes.Usage, await DemoCommand.RunAsync(line!, CancellationToken.None));
    }
}
