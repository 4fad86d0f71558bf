namespace BmwWallbox.Simulation.Tests;

/// <summary>Builds simulation steps for tests.</summary>
internal static class Steps
{
    public static readonly DateTimeOffset Start = new(2026, 6, 21, 8, 0, 0, TimeSpan.FromHours(2));

    public static SimulationStep Minute(int index, double limitA, bool pluggedIn = true, double carW = 0, double? soc = null, string source = "default") =>
        new(Start.AddMinutes(index), TimeSpan.FromMinutes(1), limitA, source, new PowerBalance(0, 400, carW), null, pluggedIn, soc);
}
