namespace BmwWallbox.Rules.Cli;

/// <summary>Exit codes a service manager (systemd) can act on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The program failed while running (e.g. the port is taken).</summary>
    public const int Failure = 1;
    /// <summary>Wrong command line.</summary>
    public const int Usage = 64;
    /// <summary>Config or rules are invalid: fix them, restarting will not help (EX_CONFIG).</summary>
    public const int Config = 78;
}
