
namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>A live trigger: watches its input from <see cref="Start"/> until disposed and reports each firing.</summary>
internal interface ITriggerSource : IDisposable
{
    void Start(Action<TriggerFired> fire);
}
