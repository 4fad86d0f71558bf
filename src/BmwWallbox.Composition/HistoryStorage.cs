using BmwWallbox.History;

namespace BmwWallbox.Composition;

/// <summary>The charging history of a run: how it values energy (<c>history:</c>) and the database it writes.</summary>
public sealed record HistoryStorage(HistoryOptions Options, string DatabasePath);
