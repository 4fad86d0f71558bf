namespace BmwWallbox.Core;

/// <summary>
/// One finding in an options record, at its config.yaml key (e.g. <c>ocpp.stations[0].id</c>) or command-line flag. Each
/// options record has one list of these: <c>validate</c> places them at their line and column, and the
/// component's constructor refuses the same errors with the same words (for callers that bypass config.yaml).
/// </summary>
public sealed record OptionProblem(string Key, string Message, string? Hint = null, Severity Severity = Severity.Error);

public static class OptionProblems
{
    /// <summary>Throws <see cref="ArgumentException"/> with every error as <c>validate</c> words it ("message (hint)"); warnings pass.</summary>
    public static void ThrowIfAnyError(IEnumerable<OptionProblem> problems)
    {
        var errors = problems.Where(p => p.Severity == Severity.Error)
            .Select(p => p.Hint is null ? p.Message : $"{p.Message} ({p.Hint})").ToList();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors));
    }
}
