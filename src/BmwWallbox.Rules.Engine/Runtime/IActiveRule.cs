
namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>A compiled rule, live between <see cref="Start"/> and <see cref="StopAsync"/>.</summary>
internal interface IActiveRule
{
    RuleScope Scope { get; }
    void Start();
    /// <summary>Fires the rule's startup triggers, if any (only when the runtime starts, not on reload).</summary>
    void FireStartup();
    /// <summary>Stops triggers and timers and cancels running runs; does not touch claims.</summary>
    Task StopAsync();
    /// <summary>Amperes of the claim a level rule holds; null when it holds none (and for edge rules).</summary>
    double? HeldAmps { get; }
    /// <summary>Nothing of this rule is queued or running (for <c>simulate</c>, which waits for quiet before moving the clock).</summary>
    bool IsIdle { get; }
    /// <summary>Completes once <see cref="IsIdle"/> holds.</summary>
    Task WhenIdleAsync();
}
