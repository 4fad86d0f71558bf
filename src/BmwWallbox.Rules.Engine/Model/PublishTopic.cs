using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Model;

/// <summary>A topic one can publish to: a valid topic without the subscription wildcards.</summary>
internal static class PublishTopic
{
    public static bool IsValid(string topic) =>
        topic.Length > 0 && !topic.Contains('+') && !topic.Contains('#') && TopicFilter.IsValid(topic);
}
