using System.Text;

namespace BmwWallbox.Mqtt;

/// <summary>
/// A text with stand-ins (marks) for values, cut at the marks once: filling it in is one pass and one copy,
/// however long the text and however many marks (the discovery config, 5.6 KB, for each of thousands of stations).
/// </summary>
internal sealed class FillInText
{
    private readonly List<string> _pieces = [];  // the text before each mark met, then the rest
    private readonly List<int> _marks = [];      // which of the marks was met after each piece

    public FillInText(string text, params string[] marks)
    {
        var from = 0;
        while (NextMark(text, from, marks) is ({ } at, var mark))
        {
            _pieces.Add(text[from..at]);
            _marks.Add(mark);
            from = at + marks[mark].Length;
        }
        _pieces.Add(text[from..]);
        Length = text.Length;
    }

    private static (int? At, int Mark) NextMark(string text, int from, string[] marks)
    {
        (int? At, int Mark) first = (null, -1);
        for (var i = 0; i < marks.Length; i++)
            if (text.IndexOf(marks[i], from, StringComparison.Ordinal) is >= 0 and var at && (first.At is null || at < first.At))
                first = (at, i);
        return first;
    }

    /// <summary>The length with the marks in (a good first guess for the filled-in length).</summary>
    public int Length { get; }

    /// <summary>Appends the text with <paramref name="values"/>[i] wherever mark i was.</summary>
    public StringBuilder AppendTo(StringBuilder target, params ReadOnlySpan<string> values)
    {
        for (var i = 0; i < _marks.Count; i++) target.Append(_pieces[i]).Append(values[_marks[i]]);
        return target.Append(_pieces[^1]);
    }
}
