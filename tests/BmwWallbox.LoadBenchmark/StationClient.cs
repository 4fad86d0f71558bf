using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmwWallbox.LoadBenchmark;

/// <summary>
/// One simulated OCPP 2.0.1 station: a TLS WebSocket with Basic auth (security profile 2), calls
/// timed from send to reply, and minimal schema-valid answers to whatever the CSMS asks.
/// </summary>
internal sealed class StationClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Task _receiving = Task.CompletedTask;
    private long _nextId;

    private StationClient(ClientWebSocket socket, string id)
    {
        _socket = socket;
        Id = id;
    }

    public string Id { get; }

    /// <summary>Errors the CSMS answered (CALLERROR) or calls it made that we could not answer.</summary>
    public int Errors;

    /// <summary>Calls the CSMS made to this station (its commands at connect and boot, for one).</summary>
    public int CallsFromCsms;

    /// <summary>Called for each CALL the CSMS makes, on arrival (before it is answered): its action, payload and <see cref="Stopwatch"/> timestamp.</summary>
    public Action<string, JsonElement, long>? CallReceived { get; set; }

    public static async Task<StationClient> ConnectAsync(Uri server, string id, string password, X509Certificate2 trusted, bool compression, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp2.0.1");
        socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{password}")));
        socket.Options.KeepAliveInterval = Timeout.InfiniteTimeSpan; // the server pings; we answer
        socket.Options.SetBuffer(4096, 4096);
        socket.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == trusted.GetCertHashString();
        if (compression) socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await socket.ConnectAsync(new Uri(server, Uri.EscapeDataString(id)), ct);
        var client = new StationClient(socket, id);
        client._receiving = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
        return client;
    }

    /// <summary>Sends a CALL and returns the time to its CALLRESULT (or CALLERROR, counted in <see cref="Errors"/>).</summary>
    public async Task<TimeSpan> CallAsync(string action, string payload, CancellationToken ct)
        => (await TimedCallAsync(action, payload, ct)).Took;

    /// <summary>The same, and whether a collection of this process (the generator's own pause) fell within the call.</summary>
    public async Task<CallTiming> TimedCallAsync(string action, string payload, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var collections = GC.CollectionCount(0);
        var started = Stopwatch.GetTimestamp();
        await SendAsync($"[2,\"{id}\",\"{action}\",{payload}]", ct);
        if (!await reply.Task.WaitAsync(ct)) Interlocked.Increment(ref Errors);
        return new CallTiming(Stopwatch.GetElapsedTime(started), GC.CollectionCount(0) != collections);
    }

    private async Task SendAsync(string frame, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(frame);
        await _sending.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _closing.Token);
                    length += result.Count;
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) break;
                await HandleAsync(buffer.AsMemory(0, length));
            }
        }
        catch (Exception) when (_closing.IsCancellationRequested || _socket.State != WebSocketState.Open)
        {
            // closing, or the server went away: pending calls fail below
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            foreach (var pending in _pending.Values) pending.TrySetException(new WebSocketException("connection closed"));
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> frame)
    {
        using var json = JsonDocument.Parse(frame);
        var message = json.RootElement;
        var type = message[0].GetInt32();
        var id = message[1].GetString()!;
        switch (type)
        {
            case 3:
            case 4:
                if (_pending.TryRemove(id, out var reply)) reply.TrySetResult(type == 3);
                break;
            case 2:
                Interlocked.Increment(ref CallsFromCsms);
                CallReceived?.Invoke(message[2].GetString()!, message[3], Stopwatch.GetTimestamp());
                var answer = Answer(message[2].GetString()!, message[3]);
                if (answer is null) Interlocked.Increment(ref Errors);
                await SendAsync(answer is null
                    ? $"[4,\"{id}\",\"NotImplemented\",\"\",{{}}]"
                    : $"[3,\"{id}\",{answer}]", _closing.Token);
                break;
        }
    }

    /// <summary>A minimal valid answer to a CSMS command, or null (then a CALLERROR NotImplemented goes back).</summary>
    private static string? Answer(string action, JsonElement request) => action switch
    {
        "SetChargingProfile" or "ClearChargingProfile" => """{"status":"Accepted"}""",
        "GetChargingProfiles" => """{"status":"NoProfiles"}""",
        "GetCompositeSchedule" or "RequestStartTransaction" or "RequestStopTransaction" or "Reset" or "TriggerMessage"
            or "ChangeAvailability" => """{"status":"Rejected"}""",
        "GetBaseReport" => """{"status":"NotSupported"}""",
        "UnlockConnector" => """{"status":"UnknownConnector"}""",
        "GetTransactionStatus" => """{"messagesInQueue":false}""",
        "SetVariables" => Results(request, "setVariableData", "setVariableResult", "Accepted"),
        "GetVariables" => Results(request, "getVariableData", "getVariableResult", "UnknownVariable"),
        _ => null,
    };

    private static string Results(JsonElement request, string requests, string results, string status)
    {
        var list = new JsonArray();
        foreach (var item in request.GetProperty(requests).EnumerateArray())
            list.Add(new JsonObject
            {
                ["attributeStatus"] = status,
                ["component"] = JsonNode.Parse(item.GetProperty("component").GetRawText()),
                ["variable"] = JsonNode.Parse(item.GetProperty("variable").GetRawText()),
            });
        return new JsonObject { [results] = list }.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // the benchmark is ending; a close that fails changes nothing
        }
        await _closing.CancelAsync();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _closing.Dispose();
        _sending.Dispose();
    }
}
