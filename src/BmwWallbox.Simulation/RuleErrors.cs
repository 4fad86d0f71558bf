using System.Text.Json.Serialization;

namespace BmwWallbox.Simulation;

/// <summary>
/// How often one rule's runs ended in an error (a script that threw, a refused publish, a failed action) and the
/// first of them: a broken rule must not hide behind "Rules fired" in a simulation, where no log is shown.
/// </summary>
public sealed record RuleErrors(
    int Count,
    [property: JsonConverter(typeof(SimulationSummary.UtcInstantConverter))] DateTimeOffset FirstAt,
    string FirstError);
