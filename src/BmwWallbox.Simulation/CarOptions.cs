using BmwWallbox.Core;

namespace BmwWallbox.Simulation;

/// <summary>
/// The simulated car. It is plugged in every day from <see cref="PlugIn"/> to
/// <see cref="Departure"/> (local time; a departure before the plug-in time means the next
/// morning) and arrives each time with <see cref="StartSoc"/>.
/// </summary>
public sealed record CarOptions
{
    public TimeOnly PlugIn { get; init; } = new(8, 0);
    public TimeOnly Departure { get; init; } = new(17, 0);
    /// <summary>Usable battery capacity, kWh.</summary>
    public double BatteryKwh { get; init; } = 80;
    /// <summary>State of charge at each plug-in, %.</summary>
    public double StartSoc { get; init; } = 20;
    /// <summary>The car stops drawing at this state of charge (the car's own charge limit), %.</summary>
    public double TargetSoc { get; init; } = 100;
    /// <summary>The most current per phase the car's on-board charger takes, A.</summary>
    public double MaxCurrent { get; init; } = 16;
    /// <summary>Phases the on-board charger uses (1–3).</summary>
    public int Phases { get; init; } = 3;
    /// <summary>Share of the drawn energy that ends up in the battery.</summary>
    public double ChargeEfficiency { get; init; } = 0.9;

    /// <summary>Throws <see cref="ArgumentException"/> with every error of <see cref="Problems"/>.</summary>
    public void Validate() => OptionProblems.ThrowIfAnyError(Problems());

    /// <summary>Every option that makes no sense, at its command-line flag: the one list <c>simulate</c> and the <see cref="CarModel"/> constructor use.</summary>
    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>();
        void Require(bool ok, string key, string message)
        {
            if (!ok) problems.Add(new OptionProblem(key, message));
        }
        Require(PlugIn != Departure, "--plug-in", $"--plug-in and --departure must differ (both {PlugIn:HH\\:mm})");
        Require(double.IsFinite(BatteryKwh) && BatteryKwh > 0, "--battery", $"--battery must be > 0 kWh (is {BatteryKwh})");
        Require(StartSoc is >= 0 and <= 100, "--soc", $"--soc must be within 0–100 % (is {StartSoc})");
        Require(TargetSoc is > 0 and <= 100, "--target-soc", $"--target-soc must be within 1–100 % (is {TargetSoc})");
        Require(double.IsFinite(MaxCurrent) && MaxCurrent >= CarModel.MinChargeCurrent, "--car-max-current",
            $"--car-max-current must be at least {CarModel.MinChargeCurrent} A (is {MaxCurrent})");
        Require(Phases is >= 1 and <= 3, "--car-phases", $"--car-phases must be 1, 2 or 3 (is {Phases})");
        Require(ChargeEfficiency is > 0 and <= 1, nameof(ChargeEfficiency), $"charge efficiency must be within (0, 1] (is {ChargeEfficiency})");
        return problems;
    }
}
