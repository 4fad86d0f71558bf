using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// The stations' MQTT command topics (<c>&lt;base&gt;/&lt;name&gt;/set/…</c>). A message there becomes a person's
/// manual claim, which outranks every rule; a rule publishing there would take over as a person. Rules act
/// through their own actions, under their own claim, so such publishes are refused.
/// </summary>
internal static class CommandTopics
{
    /// <summary>Why a rule may not publish to <paramref name="topic"/>, or null when it may.</summary>
    public static string? Refusal(TopicLayout topics, string topic) => topics.IsCommand(topic)
        ? $"cannot publish to '{topic}': it is a station command topic (a person's manual override); a rule acts through its own actions (set_current, pause, wallbox.setCurrent(), …)"
        : null;
}
