using BmwWallbox.Core;

namespace BmwWallbox.Doctor.Tests;

public sealed class RulesCheckTests
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<DoctorCheck> Run(DaemonStatus? status) =>
        RulesCheck.Run(new DoctorInput(), new RunningInstance(status, status is null ? "no status file" : null));

    [Fact]
    public void Loaded_rules_that_fired_with_fresh_signals_are_ok()
    {
        var check = Assert.Single(Run(StatusFiles.Healthy(Now, 9000)));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Equal("1 rule(s) loaded", check.Message);
    }

    [Fact]
    public void No_rules_is_no_problem_the_charge_mode_decides()
    {
        var status = StatusFiles.Healthy(Now, 9000) with { Rules = new RulesStatus { Loaded = 0 } };

        var none = Assert.Single(Run(status));

        Assert.Equal(CheckStatus.Info, none.Status);
        Assert.Contains("the charge mode (charging.mode)", none.Message); // not "charges at max_current": the default mode is solar
    }

    [Fact]
    public void Rule_errors_fail_with_their_position()
    {
        var status = StatusFiles.Healthy(Now, 9000) with
        {
            Rules = new RulesStatus { Loaded = 0, Errors = [new Problem("rules/solar.yaml", 7, 3, "unknown signal 'solr_power'")] },
        };

        var error = Assert.Single(Run(status), c => c.Name == "rules.error");

        Assert.Equal(CheckStatus.Fail, error.Status);
        Assert.Equal("rules/solar.yaml:7:3: unknown signal 'solr_power'", error.Message);
    }

    [Fact]
    public void Rule_that_never_fired_is_info()
    {
        var status = StatusFiles.Healthy(Now, 9000) with
        {
            Rules = new RulesStatus { Loaded = 2, Rules = [new RuleActivity("solar", Now), new RuleActivity("cheap_night", null)] },
        };

        var never = Assert.Single(Run(status), c => c.Name == "rules.never_fired");

        Assert.Equal(CheckStatus.Info, never.Status);
        Assert.Contains("cheap_night", never.Message);
    }

    [Fact]
    public void Stale_signal_warns_naming_its_topic_setting()
    {
        var status = StatusFiles.Healthy(Now, 9000) with { Signals = [new SignalStatus("price", 0.21, Now.AddHours(-3), Stale: true)] };

        var stale = Assert.Single(Run(status), c => c.Name == "signals.stale");

        Assert.Equal(CheckStatus.Warn, stale.Status);
        Assert.Contains("signal price is stale", stale.Message);
        Assert.Contains("signals.price.topic", stale.Fix);
    }

    [Fact]
    public void Without_a_running_instance_it_points_to_validate()
    {
        var check = Assert.Single(Run(null));

        Assert.Equal(CheckStatus.Info, check.Status);
        Assert.Contains("bmw-rules validate", check.Fix);
    }
}
