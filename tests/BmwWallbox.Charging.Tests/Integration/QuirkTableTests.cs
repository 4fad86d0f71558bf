using System.Reflection;
using System.Text.RegularExpressions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>
/// Every quirk of the box (src/BMW_WALLBOX.md) has a row in the README's quirk table, and the tests a row names
/// exist, as many as it says: a quirk written down without its row, or a test renamed away, fails here.
/// </summary>
public sealed partial class QuirkTableTests
{
    [Fact]
    public void Every_quirk_has_a_readme_row_whose_tests_exist()
    {
        var quirks = QuirkNumber().Matches(File.ReadAllText(RepoPaths.Of("src/BMW_WALLBOX.md"))).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        var rows = QuirkRow().Matches(ReadmeText.All)
            .ToDictionary(m => int.Parse(m.Groups[1].Value), m => (Class: m.Groups[2].Value, Prefix: m.Groups[3].Value, Count: m.Groups[4].Success ? int.Parse(m.Groups[4].Value) : 1));

        Assert.NotEmpty(quirks);
        Assert.Equal(quirks, rows.Keys.Order());
        foreach (var (number, row) in rows)
        {
            var type = typeof(QuirkTableTests).Assembly.GetTypes().Single(t => t.Name == row.Class);
            var tests = type.GetMethods().Where(m => m.Name.StartsWith(row.Prefix + "_", StringComparison.Ordinal)
                && (m.IsDefined(typeof(FactAttribute)) || m.IsDefined(typeof(TheoryAttribute)))).ToList();
            Assert.True(tests.Count == row.Count, $"quirk {number}: the README names {row.Count} test(s) {row.Class}.{row.Prefix}_…, there are {tests.Count}");
        }
    }

    /// <summary>"9. **A stale transaction id …" in src/BMW_WALLBOX.md.</summary>
    [GeneratedRegex(@"^(\d+)\. \*\*", RegexOptions.Multiline)]
    private static partial Regex QuirkNumber();

    /// <summary>"| 9 | … | `BmwQuirkTests.Quirk09_…` (2 tests) |" in the README.</summary>
    [GeneratedRegex(@"^\| (\d+) \|.*\| `(\w+)\.(Quirk\d+)_…`(?: \((\d+) tests\))? \|$", RegexOptions.Multiline)]
    private static partial Regex QuirkRow();
}
