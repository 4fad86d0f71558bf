using System.Globalization;
using BmwWallbox.SimulatedBox;
using BmwWallbox.Simulation;

namespace BmwWallbox.Rules.Cli;

/// <summary>The command line of <c>bmw-rules simulate</c>, checked: each bad value names its option and what is expected.</summary>
internal sealed record SimulateOptions(
    string Data,
    string OutDir,
    string? RulesDir,
    CarOptions Car,
    WallboxHardwareOptions Hardware,
    BoxQuirks Quirks)
{
    /// <summary>--mode: the charge mode instead of charging.mode of config.yaml; null: as configured.</summary>
    public string? Mode { get; init; }

    /// <summary>--phases was given: it is the installation's (wallbox.phases); otherwise wallbox.phases is the simulated box's.</summary>
    public bool PhasesGiven { get; init; }

    /// <summary>The options, or the first problem as a message for the user.</summary>
    public static (SimulateOptions? Options, string? Error) Parse(CommandLine line)
    {
        if (line.Get("data") is not { Length: > 0 } data)
            return (null, "--data FILE is required: a CSV with a timestamp column and one column per signal");
        try
        {
            var car = new CarOptions
            {
                PlugIn = Time(line, "plug-in", new CarOptions().PlugIn),
                Departure = Time(line, "departure", new CarOptions().Departure),
                BatteryKwh = Number(line, "battery", new CarOptions().BatteryKwh, "kWh, e.g. 80"),
                StartSoc = Number(line, "soc", new CarOptions().StartSoc, "a percentage 0–100"),
                TargetSoc = Number(line, "target-soc", new CarOptions().TargetSoc, "a percentage 1–100"),
                MaxCurrent = Number(line, "car-max-current", new CarOptions().MaxCurrent, "amperes per phase, e.g. 16"),
                Phases = Whole(line, "car-phases", new CarOptions().Phases, "1, 2 or 3"),
            };
            var hardware = new WallboxHardwareOptions
            {
                MaxCurrent = Number(line, "max-current", new WallboxHardwareOptions().MaxCurrent, "amperes per phase, e.g. 16 or 32"),
                Phases = Whole(line, "phases", new WallboxHardwareOptions().Phases, "1 or 3"),
                Voltage = Number(line, "voltage", new WallboxHardwareOptions().Voltage, "volts, e.g. 230"),
                PhaseSwitching = line.Get("phase-switching") switch
                {
                    null or "none" => PhaseSwitchingBehaviour.None,
                    "switches" => PhaseSwitchingBehaviour.Switches,
                    "refuses" => PhaseSwitchingBehaviour.Refuses,
                    var other => throw new ArgumentException($"--phase-switching must be 'none' (like the BMW box), 'switches' (a box that switches 1 ↔ 3 phases) or 'refuses' (reports it but rejects numberPhases), not '{other}'"),
                },
            };
            car.Validate();
            hardware.Validate();
            var quirks = line.Get("quirks") switch
            {
                null or "all" => BoxQuirks.AllOn,
                "none" => BoxQuirks.None,
                var other => throw new ArgumentException($"--quirks must be 'all' (behave like the real BMW box) or 'none' (a well-behaved box), not '{other}'"),
            };
            var mode = line.Get("mode");
            if (mode is not null && !Core.ChargeModeText.TryParse(mode, out _))
                throw new ArgumentException($"--mode must be one of {string.Join(", ", Core.ChargeModeText.All)} (got '{mode}')");
            return (new SimulateOptions(data, line.Get("out") ?? "simulation", line.Get("rules"), car, hardware, quirks)
            {
                Mode = mode,
                PhasesGiven = line.Get("phases") is not null,
            }, null);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
    }

    private static TimeOnly Time(CommandLine line, string option, TimeOnly fallback)
    {
        if (line.Get(option) is not { } text) return fallback;
        return TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new ArgumentException($"--{option} must be a local time HH:MM, e.g. 08:00 (got '{text}')");
    }

    private static double Number(CommandLine line, string option, double fallback, string expected)
    {
        if (line.Get(option) is not { } text) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"--{option} must be a number: {expected} (got '{text}')");
    }

    private static int Whole(CommandLine line, string option, int fallback, string expected)
    {
        if (line.Get(option) is not { } text) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--{option} must be {expected} (got '{text}')");
    }
}
