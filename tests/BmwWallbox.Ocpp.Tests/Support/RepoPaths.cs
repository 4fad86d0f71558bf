namespace BmwWallbox.Ocpp.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The folder holding BmwWallbox.Rules.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmwWallbox.Rules.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"BmwWallbox.Rules.sln not found above {AppContext.BaseDirectory}");
    }
}
