namespace BmwWallbox.Core;

/// <summary>
/// How a station charges when nobody intervenes. The mode is a claim like the others (shown in
/// <c>limit_source</c> as e.g. <c>mode solar</c>): rule caps compose with it and a person outranks it.
/// </summary>
public enum ChargeMode
{
    /// <summary>Pause (0 A).</summary>
    Off,
    /// <summary>As fast as the envelope and the other claims allow.</summary>
    Now,
    /// <summary>Minimum current from the grid, more from the solar surplus.</summary>
    MinSolar,
    /// <summary>Solar surplus only.</summary>
    Solar,
    /// <summary>Follow the price/solar plan towards an energy target by a time (<see cref="IChargePlans"/>).</summary>
    Plan,
}
