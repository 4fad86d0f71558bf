using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine;

/// <summary>
/// The outcome of a (re)load. When <see cref="Ok"/> is false nothing changed: the previous rule set keeps running.
/// </summary>
public sealed record RuleLoadResult(bool Ok, int Rules, int Files, IReadOnlyList<Problem> Errors);
