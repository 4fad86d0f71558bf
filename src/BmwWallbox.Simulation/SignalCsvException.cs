namespace BmwWallbox.Simulation;

/// <summary>A signal CSV that cannot be read, with the file and line at fault.</summary>
public sealed class SignalCsvException(string fileName, int line, string problem)
    : FormatException($"{fileName}:{line}: {problem}")
{
    public string FileName { get; } = fileName;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}
