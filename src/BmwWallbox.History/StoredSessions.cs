using BmwWallbox.Core;

namespace BmwWallbox.History;

/// <summary>
/// The history as saved in a database file, for readers outside the recording process (<c>bmw-rules sessions</c>).
/// Open sessions show as of their last save; <see cref="SessionChanged"/> never fires.
/// </summary>
public sealed class StoredSessions(string databasePath) : ISessionHistory
{
    public string DatabasePath { get; } = Path.GetFullPath(databasePath);

    /// <summary>False until a run has recorded into it.</summary>
    public bool Exists => File.Exists(DatabasePath);

    /// <summary>Throws <see cref="InvalidOperationException"/> with a readable message when the file is not a readable history.</summary>
    public Task<IReadOnlyList<ChargingSession>> QueryAsync(SessionQuery query, CancellationToken ct = default) =>
        Exists ? Task.Run(() => Read(query), ct) : Task.FromResult<IReadOnlyList<ChargingSession>>([]);

    private IReadOnlyList<ChargingSession> Read(SessionQuery query)
    {
        try
        {
            return SessionStore.Query(DatabasePath, query);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new InvalidOperationException($"cannot read the charging history {DatabasePath}: {e.Message}", e);
        }
    }

#pragma warning disable CS0067 // never raised: a file does not tell us when another process writes it
    public event Action<ChargingSession>? SessionChanged;
#pragma warning restore CS0067
}
