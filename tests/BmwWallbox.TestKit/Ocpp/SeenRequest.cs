namespace BmwWallbox.TestKit.Ocpp;

/// <summary>
/// An HTTP request as the fake CSMS saw it, before answering it: its path (and the raw target as
/// sent), its Authorization header (null = none), the WebSocket subprotocols it offered and whether
/// it asked for a WebSocket at all.
/// </summary>
public sealed record SeenRequest(string Path, string RawTarget, string? Authorization, string? SubProtocols, bool WebSocketUpgrade);
