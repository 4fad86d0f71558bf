using System.Diagnostics;
using System.Text;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Engine;
using BmwWallbox.Rules.Hosting;
using BmwWallbox.Simulation;

namespace BmwWallbox.Rules.Cli;

/// <summary>
/// <c>bmw-rules simulate</c>: what would my rules have done on that day? Replays a CSV of recorded
/// signals through the real rules and charge controller, in virtual time, against the simulated BMW
/// box, a car and a house model; writes timeline.csv, summary.json and chart.html.
/// </summary>
internal static class SimulateCommand
{
    internal const string Details =
        """
        Replays recorded signals (a CSV: timestamp plus one column per signal of config.yaml) through
        your rules and the real charge controller, in virtual time, against a simulated BMW box with
        a car and a simple house model (grid = house + car - solar). Writes into --out:
          timeline.csv   one row per sample: limit, limit source, car power, grid import/export, SoC
          summary.json   kWh charged, share from solar surplus, import, cost, pauses, rules fired, and the
                         perfect-foresight optimum for the same data and car ("% of optimum")
          chart.html     a self-contained chart with the rule firings marked; open it in a browser
        The car is plugged in every day. --data is required.
        Exit codes: 0 done, 1 the data file has a bad line, 64 bad command line, 78 invalid config or rules.
        """;

    internal static readonly OptionHelp[] Options =
    [
        new("data", "FILE", "the recorded signals (required), e.g. examples/data/sunny-day.csv"),
        new("out", "DIR", "output folder (default: ./simulation)"),
        new("rules", "DIR", "rules folder instead of rules.dir of config.yaml"),
        new("mode", "MODE", "charge mode instead of charging.mode of config.yaml: off, now, minsolar, solar or plan"),
        new("quirks", "all|none", "the BMW box's field quirks (default: all, like the real box)"),
        new("plug-in", "HH:MM", "local time the car is plugged in (default 08:00)"),
        new("departure", "HH:MM", "local time it leaves (default 17:00; before --plug-in = next morning)"),
        new("battery", "KWH", "usable capacity (default 80)"),
        new("soc", "PERCENT", "state of charge at each plug-in (default 20)"),
        new("target-soc", "PERCENT", "the car stops charging here (default 100)"),
        new("car-max-current", "A", "most current per phase the car takes (default 16)"),
        new("car-phases", "N", "phases the car charges on, 1-3 (default 3)"),
        new("max-current", "A", "current per phase the wallbox can deliver (default 16)"),
        new("phases", "N", "1 or 3 (default: wallbox.phases of config.yaml, 3)"),
        new("voltage", "V", "phase voltage (default 230)"),
        new("phase-switching", "none|switches|refuses", "a box that switches 1 ↔ 3 phases, or reports it and refuses (default none, like the BMW box)"),
    ];

    public static async Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.OutputEncoding = Encoding.UTF8;
        var (options, usage) = SimulateOptions.Parse(line);
        if (options is null) return Fail(ExitCodes.Usage, $"{usage}. See 'bmw-rules simulate --help'.");

        var config = ConfigLoader.Load(line.Config);
        if (!config.Ok)
        {
            foreach (var p in config.Problems.Where(p => p.Severity == Severity.Error)) Console.Error.WriteLine(p);
            return Fail(ExitCodes.Config, $"{line.Config} is not valid; nothing simulated ('bmw-rules validate' lists the problems).");
        }
        var c = config.Config!;
        var zone = RuntimeConfig.TimeZone(c);
        var station = c.Ocpp.Stations.FirstOrDefault();
        var rulesDir = options.RulesDir is { } dir ? Path.GetFullPath(dir) : config.Resolve(c.Rules.Dir);
        var stations = station is null ? [] : new[] { station.Name, station.Id };
        // Without the config's rules folder the charge mode runs alone (as run and validate have it); a --rules folder that is not there is a typo.
        var noRules = options.RulesDir is null && !Directory.Exists(rulesDir);
        if (noRules) Console.Error.WriteLine($"{line.Config}: warning: rules folder '{rulesDir}' does not exist: simulating without rules");
        var ruleErrors = noRules ? [] : RuleSetLoader.Validate(rulesDir, c.Signals.Keys, stations);
        if (ruleErrors.Count > 0)
        {
            // Without the severity word, as simulate has always printed rule problems (validate adds it).
            foreach (var e in ruleErrors) Console.Error.WriteLine($"{e.Place()}: {e.Message}{(e.Hint is null ? "" : $" ({e.Hint})")}");
            return Fail(ExitCodes.Config, $"the rules in {rulesDir} are not valid; nothing simulated.");
        }

        if (!File.Exists(options.Data))
            return Fail(ExitCodes.Usage, $"--data {options.Data}: file not found");
        // Read the whole file first, so a bad line is reported before anything is written; the run replays what was read.
        LoadedSignals data;
        SampleIntervals intervals;
        IReadOnlyList<string> columns;
        try
        {
            using (var file = SignalCsvReader.Open(options.Data, zone)) data = LoadedSignals.Read(file);
            columns = data.Columns;
            intervals = SampleIntervals.Measure(data.Samples(), columns.Count);
            if (intervals.Samples == 0) return Fail(ExitCodes.Failure, $"{options.Data} has no samples after the header line");
        }
        catch (SignalCsvException e)
        {
            return Fail(ExitCodes.Failure, e.Message);
        }

        var setup = new SimulationSetup
        {
            Rules = c.Rules with { Dir = rulesDir },
            Signals = c.Signals.Where(s => !s.Value.IsDerived).Select(s => new SignalDefinition(s.Key, s.Value.StaleAfter)).ToList(),
            DerivedSignals = RuntimeConfig.DerivedSignals(c),
            Modes = options.Mode is { } mode ? c.Charging with { Mode = mode, Stations = new Dictionary<string, Charging.Strategies.StationModeOptions>() } : c.Charging,
            // One installation: the phases the box is simulated with are the phases every W ↔ A conversion uses.
            Wallbox = options.PhasesGiven ? c.Wallbox with { Phases = options.Hardware.Phases } : c.Wallbox,
            CommandTimeout = c.Ocpp.CommandTimeout,
            TimeZone = zone,
            BaseTopic = c.Mqtt.BaseTopic,
            Car = options.Car,
            Hardware = options.PhasesGiven || c.Wallbox.Phases is not (1 or 3) ? options.Hardware : options.Hardware with { Phases = c.Wallbox.Phases },
            Quirks = options.Quirks,
            History = c.History,
            Plan = c.Plan,
        };
        if (station is not null) setup = setup with { StationId = station.Id, StationName = station.Name };
        var fileName = Path.GetFileName(options.Data);
        foreach (var note in ColumnMapping.Create(setup, columns, fileName).Notes)
            Console.Error.WriteLine($"note: {note}");
        (setup, var holdWarnings) = SampleHold.Apply(setup, columns, intervals, fileName);
        foreach (var warning in holdWarnings) Console.Error.WriteLine($"warning: {warning}");
        if (station is not null && setup.Modes is { } modes && SurplusMissing(modes, station.Name, c.Signals.Keys) is { } surplusWarning)
            Console.Error.WriteLine($"warning: {surplusWarning}");

        var progress = new ProgressLine(zone);
        var verbose = line.Has("verbose");
        SimulationResult result;
        try
        {
            var title = $"bmw-rules simulate: {Path.GetFileName(options.Data)}, rules from {rulesDir}";
            // With the log on stderr the progress line would cut through it; the log's times show the progress.
            result = await SimulationRunner.RunAsync(setup, data, options.OutDir, title, verbose ? null : progress.Report,
                verbose ? SimulationLog.For(zone) : null, ct);
        }
        catch (SimulationSetupException e)
        {
            foreach (var detail in e.Details) Console.Error.WriteLine(detail);
            return Fail(ExitCodes.Config, e.Message);
        }
        catch (SignalCsvException e)
        {
            return Fail(ExitCodes.Failure, e.Message);
        }
        catch (SimulationStuckException e)
        {
            return Fail(ExitCodes.Failure, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(ExitCodes.Failure, $"cannot write the results to --out {options.OutDir}: {e.Message}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Fail(ExitCodes.Failure, "cancelled; the files in --out are incomplete");
        }
        finally
        {
            progress.Done();
        }

        Console.Write(result.Summary.ToText(zone));
        Console.WriteLine();
        Console.WriteLine($"Timeline  {Path.GetFullPath(result.TimelinePath)}");
        Console.WriteLine($"Summary   {Path.GetFullPath(result.SummaryPath)}");
        Console.WriteLine($"Chart     {Path.GetFullPath(result.ChartPath)}   (open it in a browser)");
        if (result.SessionsPath is { } sessions) Console.WriteLine($"Sessions  {Path.GetFullPath(sessions)}   (history.db beside it)");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// A solar mode without its surplus signal holds no claim, so the car charges at full power: validate warns about
    /// the config's mode, this about the mode the run uses (--mode too), where a user reads the summary's kWh.
    /// </summary>
    private static string? SurplusMissing(ModeOptions modes, string stationName, IEnumerable<string> signals)
    {
        var mode = modes.ModeOf(stationName);
        if (!ModeOptions.NeedsSurplus(mode) || signals.Contains(modes.Surplus)) return null;
        return $"mode {ChargeModeText.Of(mode)} needs the signal '{modes.Surplus}', which config.yaml does not define: the mode holds no claim, "
               + $"so the car charges as the rules (or max_current) allow. Add signals.{modes.Surplus} (README \"The surplus signal\": from a grid meter, "
               + "or solar_power - house_power, each a signal of its own), or simulate --mode now";
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"bmw-rules: {message}");
        return code;
    }

    /// <summary>Percent and virtual date on stderr, at most twice a second, and only once a run takes longer than a second.</summary>
    private sealed class ProgressLine(TimeZoneInfo zone)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private TimeSpan _last;
        private bool _shown;

        public void Report(SimulationProgress p)
        {
            var elapsed = _watch.Elapsed;
            if (elapsed < TimeSpan.FromSeconds(1) || elapsed - _last < TimeSpan.FromMilliseconds(500)) return;
            _last = elapsed;
            _shown = true;
            var percent = p.Fraction is { } f ? $"{f * 100,3:0}%" : $"{p.Steps} steps";
            var text = $"simulating… {percent}  {TimeZoneInfo.ConvertTime(p.Time, zone):yyyy-MM-dd}";
            if (Console.IsErrorRedirected) Console.Error.WriteLine(text);
            else Console.Error.Write($"\r{text}");
        }

        public void Done()
        {
            if (_shown && !Console.IsErrorRedirected) Console.Error.WriteLine();
        }
    }
}
