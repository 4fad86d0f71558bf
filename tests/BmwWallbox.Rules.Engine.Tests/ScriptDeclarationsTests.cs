using System.Text.RegularExpressions;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>
/// rules/bmw-rules.d.ts, the declarations editors complete scripts from, names exactly what a script gets:
/// a member added to the script API and not declared (or declared and gone) fails here.
/// </summary>
public sealed partial class ScriptDeclarationsTests
{
    private static readonly string Declarations = File.ReadAllText(RepoPaths.Of("rules/bmw-rules.d.ts"));

    [Theory]
    [InlineData("Wallbox", "wallbox")]
    [InlineData("Signals", "signals")]
    [InlineData("Mqtt", "mqtt")]
    [InlineData("Log", "log")]
    [InlineData("ActionResult", "await wallbox.pause()")]
    public async Task An_object_has_the_declared_members_and_no_others(string declared, string expression)
    {
        var names = await ScriptSaysAsync($"const o = {expression};\nlog.info(Object.getOwnPropertyNames(o).join(','));");

        // Signals are also the configured signals' names (the declaration's index signature).
        var members = names.Split(',').Except(Harness.DefaultSignals.Select(s => s.Name)).Order(StringComparer.Ordinal);
        Assert.Equal(DeclaredMembers(declared), members);
    }

    [Fact]
    public async Task Every_declared_global_is_there_and_every_added_global_is_declared()
    {
        var plain = new Jint.Engine().Global.GetOwnPropertyKeys().Select(k => k.ToString()).ToHashSet();

        var names = await ScriptSaysAsync("log.info(Object.getOwnPropertyNames(globalThis).join(','));");

        var added = names.Split(',').Where(n => !plain.Contains(n)).Order(StringComparer.Ordinal);
        var declared = DeclaredGlobal().Matches(Declarations).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
        Assert.Equal(declared, added);
    }

    private static async Task<string> ScriptSaysAsync(string body)
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync(body);
        Assert.Null(trace.Error);
        return trace.Actions.Single(a => a.Action == "log.info").Message;
    }

    /// <summary>The member names of one <c>interface</c> (properties and methods; not an index signature).</summary>
    private static IEnumerable<string> DeclaredMembers(string interfaceName)
    {
        var start = Declarations.IndexOf($"interface {interfaceName} {{", StringComparison.Ordinal);
        Assert.True(start >= 0, $"interface {interfaceName} is not declared");
        var body = Declarations[start..Declarations.IndexOf("\n}", start, StringComparison.Ordinal)];
        return DeclaredMember().Matches(body).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^  (?:readonly )?([A-Za-z_]\w*)\??[:(]", RegexOptions.Multiline)]
    private static partial Regex DeclaredMember();

    [GeneratedRegex(@"^declare (?:const|let) ([A-Za-z_]\w*)", RegexOptions.Multiline)]
    private static partial Regex DeclaredGlobal();
}
