namespace BmwWallbox.TestKit;

/// <summary>Finds files of the repository from the test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BmwWallbox.Rules.sln"))) return dir.FullName;
        throw new InvalidOperationException("BmwWallbox.Rules.sln not found above " + AppContext.BaseDirectory);
    }
}
