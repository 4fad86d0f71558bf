namespace BmwWallbox.TestKit;

/// <summary>
/// How long a test waits before it gives up. These are failure guards only: a passing test never
/// waits them out (it awaits signals), so they can be generous for a loaded machine.
/// </summary>
public static class TestTimeouts
{
    /// <summary>Something in process or on loopback that should happen at once.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    /// <summary>A whole daemon, demo or interop peer doing several round trips.</summary>
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);

    /// <summary>A child process that has to start up first (dotnet run), or a whole simulated run.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);
}
