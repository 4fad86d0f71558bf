using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Mqtt;

/// <summary>The answer to a command on <c>&lt;base&gt;/&lt;name&gt;/result</c>.</summary>
internal sealed record CommandResult(string Action, bool Ok, string Reason);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CommandResult))]
internal sealed partial class CommandJson : JsonSerializerContext;

/// <summary>
/// Turns <c>&lt;base&gt;/&lt;name&gt;/set/{current,pause,resume,start,reboot,mode}</c> into controller
/// actions as a person, and <c>set/plan</c> into the planner's target (an empty plan clears it): Manual claims under the source <c>mqtt</c> (the current) and <c>mqtt:pause</c>
/// (the pause), which outrank the rules and are not paced like them.
/// Commands run one at a time, off the MQTT receive loop. Retained and empty messages are never
/// commands. Every command gets a result, or is counted in a logged "dropped" line when a flood
/// overflows the queue (here or in the embedded broker); of queued <c>set/current</c> commands
/// for one station only the newest runs, the older ones are answered "superseded".
/// </summary>
internal sealed class CommandHandler(
    MqttOptions options,
    CurrentRange range,
    IChargeControllers controllers,
    Action<string, string> publishResult,
    ILogger log,
    IPlanTargets? plans = null)
{
    public const string Source = "mqtt";
    /// <summary>The longest payload taken as a command; real ones are a number or a word.</summary>
    internal const int MaxPayloadLength = 1024;
    /// <summary>Commands waiting at most (superseded ones do not count); a flood beyond is dropped and logged.</summary>
    internal const int MaxQueued = 100;

    private static readonly CommandJson Json = new(ReadableJson.Of(CommandJson.Default.Options));
    private readonly Channel<PendingCommand> _queue = Channel.CreateUnbounded<PendingCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TopicLayout _topics = new(options.BaseTopic);
    private readonly Lock _lock = new();
    // Per station, the queued set/current that a newer one would supersede (under _lock).
    private readonly Dictionary<string, PendingCommand> _latestCurrent = new(StringComparer.Ordinal);
    private int _queued; // under _lock
    private int _dropped;
    private int _superseded; // worker only
    private IDisposable? _subscription;

    /// <summary>The charge modes <c>set/mode</c> switches; null: the command is refused. Set before <see cref="Start"/>.</summary>
    public IChargeModes? Modes { get; set; }
    private Task? _worker;

    public string Filter => _topics.CommandFilter;

    public void Start(MqttConnection connection, CancellationToken stopping)
    {
        // Retain-as-published: a retained command published while we are subscribed is seen as retained too.
        _subscription = connection.Subscribe(Filter, OnMessage, retainAsPublished: true);
        _worker = Task.Run(() => RunAsync(stopping));
    }

    public async Task StopAsync(CancellationToken ct)
    {
        _subscription?.Dispose();
        _queue.Writer.TryComplete();
        if (_worker is not null) await _worker.WaitAsync(ct);
    }

    /// <summary>Commands lost before they reached us (the embedded broker's queue for the bridge overflowed).</summary>
    public void CountDropped() => Interlocked.Increment(ref _dropped);

    private void OnMessage(InboundMessage message)
    {
        var topic = message.Topic;
        // An empty message is how a retained command is cleared (mosquitto_pub -r -n); never a command,
        // except a live (not retained) empty set/plan: that clears the plan.
        var clearsPlan = !message.Retained && topic.EndsWith("/set/plan", StringComparison.Ordinal);
        if (message.Payload.Length == 0 && !clearsPlan)
        {
            log.LogInformation("Ignored empty MQTT message on {Topic}: an empty payload is not a command", ShortQuote.Of(topic));
            return;
        }
        // A retained command is an old intent someone left on the broker; replaying it on every
        // (re)connect would pause or reboot the box out of the blue.
        if (message.Retained)
        {
            log.LogWarning("Ignored retained MQTT command on {Topic}, clear it with: mosquitto_pub -r -n -t '{Retained}'", ShortQuote.Of(topic), ShortQuote.Of(topic));
            return;
        }
        var levels = topic.Split('/');
        var command = new PendingCommand(levels[^3], levels[^1], message.Payload);
        if (command.Payload.Length > MaxPayloadLength)
        {
            // Answered at once: a huge payload must not hold up the queue or be echoed back.
            Answer(command.Station, new(command.Verb, false,
                $"Payload too long ({command.Payload.Length} characters, at most {MaxPayloadLength}): '{ShortQuote.Of(command.Payload)}'"));
            return;
        }
        lock (_lock)
        {
            if (_queued >= MaxQueued)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            if (command.Verb == "current")
            {
                if (_latestCurrent.Remove(command.Station, out var older))
                {
                    older.Superseded = true;
                    _queued--;
                }
                _latestCurrent[command.Station] = command;
            }
            _queued++;
            _queue.Writer.TryWrite(command);
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var command in _queue.Reader.ReadAllAsync(ct))
            {
                bool superseded;
                lock (_lock)
                {
                    superseded = command.Superseded;
                    if (!superseded)
                    {
                        _queued--;
                        if (_latestCurrent.TryGetValue(command.Station, out var latest) && latest == command) _latestCurrent.Remove(command.Station);
                    }
                }
                LogDropped();
                if (superseded)
                {
                    _superseded++;
                    Answer(command.Station, new(command.Verb, false, "Superseded by a newer set/current"));
                    continue;
                }
                if (_superseded > 0)
                {
                    log.LogInformation("MQTT set/current: {Count} older command(s) superseded by a newer one, not executed", _superseded);
                    _superseded = 0;
                }
                var result = await ExecuteAsync(command.Station, command.Verb, command.Payload, ct);
                log.LogInformation("MQTT command {Action} for {StationName}: {Ok} ({Reason})", ShortQuote.Of(result.Action), ShortQuote.Of(command.Station), result.Ok ? "ok" : "rejected", result.Reason);
                Answer(command.Station, result);
            }
            LogDropped();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private void LogDropped()
    {
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
            log.LogWarning("Too many MQTT commands at once: dropped {Count} without a result; the newest ones are executed", dropped);
    }

    /// <summary>Publishes the result; the action is a topic level anyone can make long, so it is quoted short.</summary>
    private void Answer(string station, CommandResult result)
        => publishResult(_topics.CommandResult(station),
            JsonSerializer.Serialize(result with { Action = ShortQuote.Of(result.Action) }, Json.CommandResult));

    internal async Task<CommandResult> ExecuteAsync(string station, string verb, string payload, CancellationToken ct)
    {
        var controller = controllers.Find(station);
        if (controller is null)
            return new(verb, false, $"Unknown station '{ShortQuote.Of(station)}'");
        try
        {
            switch (verb)
            {
                case "current":
                    if (!TryParseAmps(payload, out var amps, out var error)) return new(verb, false, error);
                    return From(verb, await controller.ClaimAsync(new ClaimRequest(Source, amps, ClaimKind.Manual, Reason: "MQTT set/current"), ct));
                case "pause":
                    // A pause of its own (mqtt:pause), so the current set with set/current comes back on resume.
                    return From(verb, await controller.PauseByPersonAsync(Source, "MQTT pause", ct));
                case "resume":
                    return From(verb, await controller.ResumeByPersonAsync(Source, ct));
                case "start":
                    // "Charge now": a manual claim at max beats rule pauses until unplug or resume; start drops the person's pause.
                    return From(verb, await controller.ChargeNowByPersonAsync(Source, range.Max, ct));
                case "reboot":
                    return From(verb, await controller.RebootAsync(Source, ct));
                case "plan":
                    if (plans is null) return new(verb, false, "No planner runs here");
                    // JSON with one key changes only that key (Home Assistant's number and text each send one).
                    if (!PlanTargetText.TryParse(payload, plans.TargetOf(controller.StationId), out var target, out var planError))
                        return new(verb, false, planError);
                    return From(verb, plans.SetTarget(controller.StationId, target, Source));
                case "mode":
                    if (!ChargeModeText.TryParse(payload, out var mode))
                        return new(verb, false, $"Mode must be one of {string.Join(", ", ChargeModeText.All)}, got '{ShortQuote.Of(payload.Trim())}'");
                    if (Modes is null) return new(verb, false, "This bmw-rules runs without charge modes");
                    return From(verb, await Modes.SetModeAsync(controller.StationId, mode, Source, ct));
                default:
                    return new(verb, false, $"Unknown command '{ShortQuote.Of(verb)}'; use current, pause, resume, start, reboot, mode or plan");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(ex, "MQTT command {Action} for {StationName} failed", ShortQuote.Of(verb), ShortQuote.Of(station));
            return new(verb, false, $"Failed: {ex.Message}");
        }
    }

    private bool TryParseAmps(string payload, out double amps, out string error)
    {
        var text = payload.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out amps) || !double.IsFinite(amps))
        {
            error = $"Current must be a number of amperes, got '{ShortQuote.Of(text)}'";
            return false;
        }
        // The same range and words as every other way a person sets the current (the dashboard).
        return PersonCurrent.Check(amps, range.Min, range.Max, out error);
    }

    private static CommandResult From(string verb, ActionResult result) => new(verb, result.Ok, result.Message);

    /// <summary>A queued command; <see cref="Superseded"/> is set (under the lock) when a newer set/current replaces it.</summary>
    private sealed class PendingCommand(string station, string verb, string payload)
    {
        public string Station { get; } = station;
        public string Verb { get; } = verb;
        public string Payload { get; } = payload;
        public bool Superseded { get; set; }
    }
}
