using System.Text.RegularExpressions;
using BmwWallbox.Rules.Engine.Loading;
using BmwWallbox.Rules.Engine.Model;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>
/// The README's rule tables name every word a rule file can use: each trigger, condition and action the parser
/// accepts, each wallbox event and field. A word added to the parser and not to the README fails here.
/// </summary>
public sealed class RuleReferenceTests
{
    public static TheoryData<string, string> Words()
    {
        var words = new TheoryData<string, string>();
        foreach (var kind in TriggerParser.Kinds) words.Add("### Triggers (`when:`)", kind);
        foreach (var kind in ConditionParser.Kinds) words.Add("### Conditions (`if:`, `while:`, `until:`)", kind);
        foreach (var kind in ActionParser.Kinds) words.Add("### Actions (`then:`)", kind);
        foreach (var evt in TriggerParser.Events.Keys) words.Add("### Triggers (`when:`)", evt);
        foreach (var field in WallboxFields.TriggerFields) words.Add("### Triggers (`when:`)", field);
        foreach (var field in WallboxFields.ByName.Keys) words.Add("### Conditions (`if:`, `while:`, `until:`)", field);
        return words;
    }

    [Theory]
    [MemberData(nameof(Words))]
    public void A_rule_word_is_in_its_readme_table(string section, string word)
    {
        var table = ReadmeText.Section(section);
        // As code (`word`, `- word:`, `- wallbox: word`) or as a row's name ("resume / release").
        var asCode = Regex.IsMatch(table, $@"`(- |- wallbox: )?{Regex.Escape(word)}[`:]");
        var asRowName = table.Split('\n').Any(l => l.StartsWith("| ", StringComparison.Ordinal)
            && Regex.IsMatch(l.Split('|')[1], $@"(?<!\w){Regex.Escape(word)}(?!\w)"));
        Assert.True(asCode || asRowName, $"'{word}' is not in the README's \"{section}\" section");
    }
}
