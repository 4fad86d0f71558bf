using System.Globalization;
using System.Text;

namespace BmwWallbox.Simulation;

/// <summary>
/// Streams the samples of a recorded-signals CSV: a header <c>timestamp,&lt;signal&gt;,...</c>, then
/// one row per sample in increasing time order, any interval. Comma-separated files use '.' as
/// decimal mark; semicolon-separated files (German Excel) use ','. The header is read on
/// construction, so <see cref="Columns"/> is known before the first sample.
/// </summary>
public sealed class SignalCsvReader : ISignalData, IDisposable
{
    private const string TimestampColumn = "timestamp";
    private const int TimestampCell = -1;
    private const int IgnoredCell = -2;

    private readonly TextReader _text;
    private readonly Stream? _stream;
    private readonly CsvLineReader _lines;
    private readonly string _fileName;
    private readonly TimeZoneInfo _zone;
    /// <summary>For each cell of a row: its signal column, <see cref="TimestampCell"/> or <see cref="IgnoredCell"/>.</summary>
    private readonly int[] _columnOfCell;
    private DateTimeOffset? _previous;
    private int _previousLine;
    private bool _started;

    /// <param name="text">The CSV text; disposed with the reader.</param>
    /// <param name="fileName">Used in error messages.</param>
    /// <param name="zone">Time zone of timestamps written without offset.</param>
    public SignalCsvReader(TextReader text, string fileName, TimeZoneInfo zone)
    {
        _text = text;
        _stream = (text as StreamReader)?.BaseStream;
        _lines = new CsvLineReader(text);
        _fileName = fileName;
        _zone = zone;
        (Separator, Columns, _columnOfCell) = ReadHeader();
    }

    /// <summary>Opens a file. Throws <see cref="SignalCsvException"/> for a bad header.</summary>
    public static SignalCsvReader Open(string path, TimeZoneInfo zone)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            return new SignalCsvReader(new StreamReader(stream, Encoding.UTF8, true, 64 * 1024), Path.GetFileName(path), zone);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The signal columns in file order (the timestamp column excluded).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>',' or ';' (then numbers use ',' as decimal mark).</summary>
    public char Separator { get; }

    public bool DecimalComma => Separator == ';';

    /// <summary>How far through the file reading is (0..1), when the length is known.</summary>
    public double? Progress => _stream is { CanSeek: true, Length: > 0 } s ? (double)s.Position / s.Length : null;

    /// <summary>The index of a signal column, or -1.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (Columns[i] == column) return i;
        return -1;
    }

    /// <summary>The samples, read lazily; can be enumerated once. Throws <see cref="SignalCsvException"/> at a bad row.</summary>
    public IEnumerable<SignalSample> ReadSamples()
    {
        if (_started) throw new InvalidOperationException("The samples of a SignalCsvReader can be read only once");
        _started = true;
        return Iterate();

        IEnumerable<SignalSample> Iterate()
        {
            while (TryReadSample(out var sample)) yield return sample;
        }
    }

    /// <summary>Each sample with how long it holds (<see cref="ISignalData.StepsOf"/>); can be enumerated once.</summary>
    public IEnumerable<(SignalSample Sample, TimeSpan Duration)> ReadSteps() => ISignalData.StepsOf(ReadSamples());

    public void Dispose() => _text.Dispose();

    private (char, IReadOnlyList<string>, int[]) ReadHeader()
    {
        ReadOnlySpan<char> header;
        do
        {
            if (!_lines.TryReadLine(out header))
                throw Error("the file is empty; expected a header line timestamp,<signal>,...");
        } while (header.IsWhiteSpace());

        var separator = header.Contains(';') ? ';' : ',';
        var names = header.ToString().Split(separator).Select(n => Unquote(n).ToString()).ToList();

        var columns = new List<string>();
        var columnOfCell = new int[names.Count];
        var timestampSeen = false;
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (string.Equals(name, TimestampColumn, StringComparison.OrdinalIgnoreCase))
            {
                if (timestampSeen) throw Error("the header has two timestamp columns");
                timestampSeen = true;
                columnOfCell[i] = TimestampCell;
            }
            else if (name.Length == 0)
            {
                // Excel may end every line with a separator: an empty last column is ignored.
                if (i != names.Count - 1) throw Error($"column {i + 1} of the header has no name");
                columnOfCell[i] = IgnoredCell;
            }
            else
            {
                if (columns.Contains(name)) throw Error($"the header names column '{name}' twice");
                columnOfCell[i] = columns.Count;
                columns.Add(name);
            }
        }
        if (!timestampSeen)
            throw Error($"no '{TimestampColumn}' column; the header must be timestamp,<signal>,... (found: {string.Join(", ", names)})");
        if (columns.Count == 0)
            throw Error("the header has no signal column besides timestamp");
        return (separator, columns, columnOfCell);
    }

    private bool TryReadSample(out SignalSample sample)
    {
        ReadOnlySpan<char> line;
        do
        {
            if (!_lines.TryReadLine(out line))
            {
                sample = default;
                return false;
            }
        } while (line.IsWhiteSpace());

        var values = new double[Columns.Count];
        DateTimeOffset? time = null;
        var cellCount = 0;
        foreach (var range in line.Split(Separator))
        {
            if (cellCount == _columnOfCell.Length)
                throw Error($"the row has more cells than the header's {_columnOfCell.Length} (separator '{Separator}')");
            var column = _columnOfCell[cellCount++];
            var cell = Unquote(line[range]);
            if (column == TimestampCell) time = ParseTime(cell);
            else if (column >= 0) values[column] = cell.IsEmpty ? double.NaN : ParseNumber(cell, Columns[column]);
        }
        var required = _columnOfCell[^1] == IgnoredCell ? _columnOfCell.Length - 1 : _columnOfCell.Length;
        if (cellCount < required)
            throw Error($"the row has {cellCount} cells, the header {required} (separator '{Separator}'); write an empty cell for a missing value");
        if (time is not { } t)
            throw Error("the row has no timestamp");

        if (_previous is { } previous && t <= previous)
            throw Error($"time {Show(t)} is not after the previous sample's {Show(previous)} (line {_previousLine}); samples must be in increasing time order");
        _previous = t;
        _previousLine = _lines.LineNumber;
        sample = new SignalSample(t, _lines.LineNumber, values);
        return true;
    }

    private DateTimeOffset ParseTime(ReadOnlySpan<char> cell)
    {
        if (cell.IsEmpty) throw Error($"the timestamp is empty; expected {TimestampParser.Expected}");
        try
        {
            return TimestampParser.Parse(cell, _zone, _previous)
                ?? throw Error($"'{cell}' is not a timestamp; expected {TimestampParser.Expected}");
        }
        catch (FormatException e) when (e is not SignalCsvException)
        {
            throw Error(e.Message);
        }
    }

    private double ParseNumber(ReadOnlySpan<char> cell, string column)
    {
        double value;
        bool ok;
        if (DecimalComma)
        {
            if (cell.Contains('.'))
                throw Error($"column '{column}': '{cell}' contains '.', but in a ';'-separated file the decimal mark is ',' (German Excel); "
                    + "export numbers without thousands separators, or use ',' as separator and '.' as decimal mark");
            Span<char> invariant = stackalloc char[64];
            ok = cell.Length <= invariant.Length;
            value = 0;
            if (ok)
            {
                cell.Replace(invariant, ',', '.');
                ok = double.TryParse(invariant[..cell.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            }
        }
        else
        {
            ok = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
        if (!ok || !double.IsFinite(value))
            throw Error($"column '{column}': '{cell}' is not a number (expected e.g. {(DecimalComma ? "1234,5" : "1234.5")}, or an empty cell for no value)");
        return value;
    }

    private static string Show(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell)
    {
        cell = cell.Trim();
        return cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Trim() : cell;
    }

    private SignalCsvException Error(string problem) => new(_fileName, Math.Max(1, _lines.LineNumber), problem);
}
