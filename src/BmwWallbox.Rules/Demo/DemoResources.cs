namespace BmwWallbox.Rules.Demo;

/// <summary>The example rules and the synthetic solar day, embedded in the exe (see the csproj) so the demo runs from any folder.</summary>
internal static class DemoResources
{
    private const string RulesPrefix = "demo/rules/";
    private const string DayName = "demo/sunny-day.csv";

    /// <summary>File names of the embedded example rules, e.g. solar-pause.yaml.</summary>
    public static IReadOnlyList<string> RuleFiles { get; } = typeof(DemoResources).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(RulesPrefix, StringComparison.Ordinal))
        .Select(n => n[RulesPrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Writes the example rules into <paramref name="folder"/> (the demo's rules dir).</summary>
    public static void WriteRules(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in RuleFiles)
        {
            using var source = Open(RulesPrefix + file);
            using var target = File.Create(Path.Combine(folder, file));
            source.CopyTo(target);
        }
    }

    public static TextReader OpenDay() => new StreamReader(Open(DayName));

    private static Stream Open(string name) =>
        typeof(DemoResources).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The demo resource {name} is missing from the build (see BmwWallbox.Rules.csproj)");
}
