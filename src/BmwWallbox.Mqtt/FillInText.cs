namespace BmwWallbox.Mqtt;

/// <summary>
/// A text with stand-ins (marks) for values, cut at the marks once: filling it in is one pass and one copy,
/// however long the text and however many marks (the discovery config, 5.6 KB, for each of thousands of stations).
/// </summary>
internal sealed class FillInText
{
    private readonly List<string> _pieces = [];  // the text before each mark met, then the rest
    private readonly List<int> _marks = [];      // which of the marks was met after each piece
    private readonly int _piecesLength;

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
        _piecesLength = _pieces.Sum(p => p.Length);
    }

    private static (int? At, int Mark) NextMark(string text, int from, string[] marks)
    {
        (int? At, int Mark) first = (null, -1);
        for (var i = 0; i < marks.Length; i++)
            if (text.IndexOf(marks[i], from, StringComparison.Ordinal) is >= 0 and var at && (first.At is null || at < first.At))
                first = (at, i);
        return first;
    }

    /// <summary>
    /// <paramref name="prefix"/>, then the text with <paramref name="values"/>[i] wherever mark i was: written
    /// straight into a string of the exact length (no builder, no second copy).
    /// </summary>
    public string Fill(string prefix, params string[] values)
    {
        var length = prefix.Length + _piecesLength;
        foreach (var mark in _marks) length += values[mark].Length;
        return string.Create(length, (Text: this, Prefix: prefix, Values: values), static (target, s) =>
        {
            s.Prefix.CopyTo(target);
            var rest = target[s.Prefix.Length..];
            for (var i = 0; i < s.Text._marks.Count; i++)
                rest = Append(Append(rest, s.Text._pieces[i]), s.Values[s.Text._marks[i]]);
            Append(rest, s.Text._pieces[^1]);
        });
    }

    private static Span<char> Append(Span<char> target, string text)
    {
        text.CopyTo(target);
        return target[text.Length..];
    }
}
