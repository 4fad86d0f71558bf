using BmwWallbox.History;

namespace BmwWallbox.Composition;

/// <summary>The charging history of a run: how it values energy (<c>history:</c>) and the database it writes.</summary>
/// <param name="SaveInterval">Between transitions, how often an open session is saved; null: the recorder's default
/// (crash safety of a daemon; <c>simulate</c>, which cannot crash half-way, saves less often).</param>
public sealed record HistoryStorage(HistoryOptions Options, string DatabasePath, TimeSpan? SaveInterval = null);
