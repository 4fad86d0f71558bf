namespace BmwWallbox.TestKit.Mqtt;

/// <summary>A message the test client received.</summary>
public sealed record Received(string Topic, string Payload, bool Retain)
{
    /// <summary>Where a test wants the payload text (parse it, compare it), the message stands for it.</summary>
    public static implicit operator string(Received message) => message.Payload;
}
