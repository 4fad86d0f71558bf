using BmwWallbox.Core;
using BmwWallbox.SimulatedBox;

namespace BmwWallbox.Simulation;

/// <summary>The simulated installation: what the wallbox can physically deliver.</summary>
public sealed record WallboxHardwareOptions
{
    /// <summary>Current per phase the installation allows, A (BMW box: 32 single-phase or 16 three-phase).</summary>
    public double MaxCurrent { get; init; } = 16;
    public int Phases { get; init; } = 3;
    /// <summary>Phase-to-neutral voltage, V.</summary>
    public double Voltage { get; init; } = 230;
    /// <summary>Whether the box switches 1 ↔ 3 phases during a transaction (--phase-switching); the BMW box does not.</summary>
    public PhaseSwitchingBehaviour PhaseSwitching { get; init; } = PhaseSwitchingBehaviour.None;

    /// <summary>The fewest phases the box charges on: one when it switches, else all of them.</summary>
    public int MinPhases => PhaseSwitching == PhaseSwitchingBehaviour.Switches ? 1 : Phases;

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
        Require(double.IsFinite(MaxCurrent) && MaxCurrent >= CarModel.MinChargeCurrent, "--max-current",
            $"--max-current must be at least {CarModel.MinChargeCurrent} A (is {MaxCurrent})");
        Require(Phases is 1 or 3, "--phases", $"--phases must be 1 or 3 (is {Phases})");
        Require(Voltage is >= 100 and <= 260, "--voltage", $"--voltage must be within 100–260 V (is {Voltage})");
        return problems;
    }

    /// <summary>Power of one amp on every phase, W/A.</summary>
    public double WattsPerAmp(int phases) => Voltage * Math.Min(phases, Phases);
}
