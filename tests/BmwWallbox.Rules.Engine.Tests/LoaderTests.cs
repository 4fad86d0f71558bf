using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Loading;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>YAML → validated model: every mistake is reported with file:line:column, what was expected and a hint.</summary>
public sealed class LoaderTests : IDisposable
{
    private static readonly string[] Signals = ["solar_power", "grid_power", "house_power", "price"];
    private static readonly string[] Stations = ["garage", "cp-1"];
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-rules-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IReadOnlyList<Problem> Errors(string yaml, string file = "rules.yaml")
    {
        File.WriteAllText(Path.Combine(_dir, file), yaml);
        return RuleSetLoader.Validate(_dir, Signals, Stations);
    }

    private Problem Single(string yaml)
    {
        var errors = Errors(yaml);
        Assert.True(errors.Count == 1, string.Join("\n", errors));
        return errors[0];
    }

    [Fact]
    public void Durations_read_as_in_config_yaml_a_plain_number_is_seconds()
    {
        Assert.Empty(Errors("- id: r1\n  when: [{ every: 15 }, { signal: price, above: 0.3, for: 1h 30m }]\n  then: [pause, { delay: \"00:01:00\" }]"));
    }

    [Fact]
    public void Every_construct_of_the_format_loads_without_errors()
    {
        var errors = Errors("""
            - id: edge-all
              name: All triggers
              description: one of each
              enabled: true
              station: garage
              mode: queued
              max: 3
              when:
                - signal: solar_power
                  above: 2000
                  for: 1m
                - signal: price
                  to: unavailable
                - wallbox: charging_state
                  from: Charging
                  to: SuspendedEV
                  for: 30s
                - event: transaction_started
                - cron: "0 */5 * * * *"
                  time_zone: Europe/Berlin
                - at: "17:00"
                - every: 30s
                - mqtt: home/+/price
                  payload: "on"
                - startup
              if:
                - signal: house_power
                  below: 5000
                - wallbox: status
                  is: [Occupied, Available]
                - after: "22:00"
                  before: "06:00"
                  weekdays: [mon-fri, sun]
                - or:
                    - js: "signals.price < 0.2"
                    - not:
                        wallbox: power
                        above: 1000
              then:
                - pause
                - pause: { for: 1h, until_unplugged: true }
                - set_current: 10
                - set_current: { amps: 8, for: 2h }
                - resume
                - release
                - start
                - stop
                - reboot
                - mqtt_publish: { topic: home/wallbox/note, payload: hello, retain: true }
                - log: plain message
                - log: { message: warning, level: warn }
                - delay: 1m30s
                - script: |
                    log.info(signals.grid_power);
            - id: level-all
              while: { signal: solar_power, below: 2000 }
              until: { signal: solar_power, above: 2500 }
              for: { on: 2m, off: 5m }
              limit: pause
            - id: level-amps
              while: { after: "17:00", before: "22:00" }
              for: 1m
              limit: 10
            """);
        Assert.Empty(errors);
    }

    [Fact]
    public void An_unknown_key_is_reported_where_it_is_with_the_nearest_valid_key()
    {
        var error = Single("""
            - id: r1
              descriptoin: typo
              when: [startup]
              then: [pause]
            """);
        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.EndsWith("rules.yaml", error.File);
        Assert.Contains("unknown key 'descriptoin'", error.Message);
        Assert.Contains("expected one of", error.Message);
        Assert.Equal("did you mean 'description'?", error.Hint);
    }

    [Theory]
    [InlineData("action", "then")] // not 'station', the nearest spelling
    [InlineData("actions", "then")]
    [InlineData("condition", "if")]
    [InlineData("alias", "name")]
    public void A_Home_Assistant_automation_word_is_named_with_its_rule_word(string theirs, string ours)
    {
        var error = Single($"- id: r1\n  when: [startup]\n  then: [pause]\n  {theirs}: x");
        Assert.Equal(4, error.Line);
        Assert.Contains($"unknown key '{theirs}'", error.Message);
        Assert.Equal($"a Home Assistant automation's '{theirs}:' is '{ours}:' in a rule", error.Hint);
    }

    [Fact]
    public void A_rule_written_as_a_Home_Assistant_automation_gets_each_word_translated()
    {
        var errors = Errors("- id: r1\n  trigger: [startup]\n  action: [pause]");
        Assert.Contains(errors, e => e.Line == 2 && e.Hint == "a Home Assistant automation's 'trigger:' is 'when:' in a rule");
        Assert.Contains(errors, e => e.Line == 3 && e.Hint == "a Home Assistant automation's 'action:' is 'then:' in a rule");
        Assert.Contains(errors, e => e.Message.Contains("does nothing"));
    }

    [Fact]
    public void A_level_rule_gets_no_translation_to_an_edge_rule_word()
    {
        var error = Single("- id: r1\n  while: { signal: solar_power, below: 2000 }\n  limit: 6\n  action: x");
        Assert.Contains("unknown key 'action'", error.Message);
        Assert.DoesNotContain("Home Assistant", error.Hint ?? "");
    }

    [Theory]
    [InlineData("- id: r1\n  when: [{ signal: solar_power, abvoe: 1 }]\n  then: [pause]", 2, "unknown key 'abvoe'", "did you mean 'above'?")]
    [InlineData("- id: r1\n  when: [{ singal: solar_power }]\n  then: [pause]", 2, "unknown trigger", "did you mean 'signal'?")]
    [InlineData("- id: r1\n  when: [startup]\n  then: [pasue]", 3, "unknown action 'pasue'", "did you mean 'pause'?")]
    [InlineData("- id: r1\n  when: [{ event: transaction_start }]\n  then: [pause]", 2, "unknown wallbox event", "did you mean 'transaction_started'?")]
    [InlineData("- id: r1\n  when: [{ wallbox: charging_state, to: Chraging }]\n  then: [pause]", 2, "'Chraging' is not a value of wallbox charging_state", "did you mean 'Charging'?")]
    [InlineData("- id: r1\n  when: [{ every: soon }]\n  then: [pause]", 2, "invalid duration 'soon'", "expected a duration like 30s, 2m, 1h30m or 500ms (a plain number is seconds)")]
    [InlineData("- id: r1\n  when: [{ at: \"25:00\" }]\n  then: [pause]", 2, "invalid time '25:00'", null)]
    [InlineData("- id: r1\n  when: [startup]\n  mode: paralel\n  then: [pause]", 3, "unknown mode 'paralel'", "did you mean 'parallel'?")]
    [InlineData("- id: r1\n  while: { signal: solar_power, below: 2000 }\n  limit: lots", 3, "rule 'r1' uses unknown signal 'lots'", null)] // a word is a signal name (a computed limit)
    [InlineData("- id: r1\n  while: { signal: solar_power, below: 2000 }\n  limit: 2 A", 3, "'limit:' of rule 'r1': unexpected 'A'", null)]
    [InlineData("- id: r1\n  when: [startup]\n  then: [pause]\n  limit: 10", 1, "mixes an edge rule", null)]
    [InlineData("- id: r1\n  name: nothing", 1, "does nothing", null)]
    [InlineData("- id: r1\n  when: [{ cron: \"0 0 30 2 *\" }]\n  then: [pause]", 2, "never fires", null)]
    [InlineData("- id: r1\n  when: [{ cron: \"61 * * * *\" }]\n  then: [pause]", 2, "invalid cron", null)]
    [InlineData("- id: r1\n  when: [{ cron: \"* * *\" }]\n  then: [pause]", 2, "has 3 fields", null)]
    [InlineData("- id: r1\n  when: [{ mqtt: \"home/#/x\" }]\n  then: [pause]", 2, "invalid MQTT topic filter", null)]
    [InlineData("- id: r1\n  when: [{ at: \"17:00\", time_zone: Mars/Olympus }]\n  then: [pause]", 2, "unknown time zone", null)]
    [InlineData("- id: r1\n  when: [startup]\n  if: [{ after: \"7pm\" }]\n  then: [pause]", 3, "is not a time of day", null)]
    [InlineData("- id: bad id\n  when: [startup]\n  then: [pause]", 1, "may only hold letters", null)]
    [InlineData("- id: set\n  when: [startup]\n  then: [pause]", 1, "rule id 'set' is taken: its trace topic <base>/rules/set/trace would be read as a command", "choose another id, e.g. 'set-limit'")]
    public void Mistakes_are_reported_with_line_message_and_hint(string yaml, int line, string message, string? hint)
    {
        var error = Single(yaml);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
        if (hint is not null) Assert.Equal(hint, error.Hint);
    }

    [Theory]
    [InlineData("set")]
    [InlineData("solar-pause")]
    [InlineData("settle")]
    [InlineData("Set")]
    public void Only_a_reserved_rule_id_has_a_trace_topic_that_is_a_command(string id)
    {
        // Ties the reservation to the layout: a trace published on a command topic would reach the command handler.
        var layout = new TopicLayout(TopicLayout.DefaultBase);
        Assert.Equal(TopicLayout.ReservedRuleIds.Contains(id), layout.IsCommand(layout.RuleTrace(id)));
        Assert.Equal(TopicLayout.ReservedRuleIds.Contains(id), TopicFilter.Matches(layout.CommandFilter, layout.RuleTrace(id)));
    }

    [Fact]
    public void Invalid_yaml_is_reported_at_its_position()
    {
        var error = Single("- id: r1\n  when: [startup]\n    then: [pause]\n");
        Assert.Contains("not valid YAML", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void A_file_must_be_a_list_of_rules()
    {
        var error = Single("id: r1\nwhen: [startup]\nthen: [pause]\n");
        Assert.Contains("a rule file is a list of rules", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Unknown_signals_and_stations_are_errors_with_hints()
    {
        var errors = Errors("""
            - id: r1
              station: garaje
              when: [{ signal: solar_powr, above: 1 }]
              if: [{ js: "signals.prices > 1" }]
              then: [pause]
            """);
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("unknown station 'garaje'") && e.Hint == "did you mean 'garage'?");
        Assert.Contains(errors, e => e.Message.Contains("unknown signal 'solar_powr'") && e.Line == 3 && e.Hint == "did you mean 'solar_power'?");
        Assert.Contains(errors, e => e.Message.Contains("unknown signal 'prices'") && e.Line == 4 && e.Hint == "did you mean 'price'?");
    }

    [Fact]
    public void A_rule_that_needs_a_station_is_an_error_when_none_is_configured()
    {
        File.WriteAllText(Path.Combine(_dir, "r.yaml"), "- id: r1\n  when: [startup]\n  then: [pause]\n- id: r2\n  when: [startup]\n  then: [{ log: hi }]\n");
        var errors = RuleSetLoader.Validate(_dir, Signals, []);
        var error = Assert.Single(errors);
        Assert.Contains("rule 'r1' uses the wallbox but no station is configured", error.Message);
    }

    [Fact]
    public void Duplicate_ids_across_files_name_the_first_definition()
    {
        Errors("- id: same\n  when: [startup]\n  then: [pause]\n", "a.yaml");
        var errors = Errors("- id: other\n  when: [startup]\n  then: [pause]\n- id: same\n  when: [startup]\n  then: [resume]\n", "b.yaml");
        var error = Assert.Single(errors);
        Assert.EndsWith("b.yaml", error.File);
        Assert.Equal(4, error.Line);
        Assert.Contains("duplicate rule id 'same'", error.Message);
        Assert.Contains("a.yaml:1:3", error.Message);
    }

    [Fact]
    public void A_javascript_syntax_error_points_at_the_file_line_of_the_script_line()
    {
        var error = Single("""
            - id: js-bad
              when: [startup]
              then:
                - script: |
                    const a = 1;
                    const b = ;
            """);
        Assert.Equal(6, error.Line);
        Assert.Contains("JavaScript syntax error", error.Message);
    }

    [Fact]
    public void Scripts_are_strict_mode_at_load()
    {
        var error = Single("- id: r1\n  when: [startup]\n  then:\n    - script: |\n        with (Math) { log.info(PI); }\n");
        Assert.Equal(5, error.Line);
        Assert.Contains("strict mode", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_missing_folder_is_one_clear_error()
    {
        var error = Assert.Single(RuleSetLoader.Validate(Path.Combine(_dir, "nope"), Signals, Stations));
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void An_empty_file_holds_no_rules_and_no_errors() => Assert.Empty(Errors("# nothing yet\n"));
}
