namespace BmwWallbox.Simulation;

/// <summary>
/// Hands out the lines of a text as spans over one reusable buffer, so reading a year of
/// samples allocates no string per line. A span is valid until the next call.
/// </summary>
internal sealed class CsvLineReader(TextReader reader)
{
    private char[] _buffer = new char[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>1-based number of the line returned last.</summary>
    public int LineNumber { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        var searchFrom = _start;
        while (true)
        {
            var newline = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf('\n');
            if (newline >= 0)
            {
                var end = searchFrom + newline;
                line = TrimCarriageReturn(_buffer.AsSpan(_start, end - _start));
                _start = end + 1;
                LineNumber++;
                return true;
            }
            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
                LineNumber++;
                return true;
            }
            searchFrom = _end - _start;
            Fill();
        }
    }

    /// <summary>Moves the unread rest to the front (growing the buffer for a very long line) and reads more.</summary>
    private void Fill()
    {
        var rest = _end - _start;
        if (rest == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        Array.Copy(_buffer, _start, _buffer, 0, rest);
        _start = 0;
        _end = rest;
        var read = reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    private static ReadOnlySpan<char> TrimCarriageReturn(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
}
