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
/// Turns <c>&lt;base&gt;/&lt;name&gt;/set/{current,pause,resume,start,reboot}</c> into controller
/// actions as a person: Manual claims under the source <c>mqtt</c> (the current) and <c>mqtt:pause</c>
/// (the pause), which outrank the rules and are not paced like them.
/// Commands run one at a time, off the MQTT receive loop; retained commands are never executed.
/// </summary>
internal sealed class CommandHandler(
    MqttOptions options,
    CurrentRange range,
    IChargeControllers controllers,
    Action<string, string> publishResult,
    ILogger log)
{
    public const string Source = "mqtt";

    private readonly Channel<InboundMessage> _queue = Channel.CreateUnbounded<InboundMessage>(new UnboundedChannelOptions { SingleReader = true });
    private IDisposable? _subscription;
    private Task? _worker;

    public string Filter => $"{options.BaseTopic}/+/set/+";

    public void Start(MqttConnection connection, CancellationToken stopping)
    {
        _subscription = connection.Subscribe(Filter, OnMessage);
        _worker = Task.Run(() => RunAsync(stopping));
    }

    public async Task StopAsync(CancellationToken ct)
    {
        _subscription?.Dispose();
        _queue.Writer.TryComplete();
        if (_worker is not null) await _worker.WaitAsync(ct);
    }

    private void OnMessage(InboundMessage message)
    {
        // A retained command is an old intent someone left on the broker; replaying it on every
        // (re)connect would pause or reboot the box out of the blue.
        if (message.Retained)
        {
            log.LogWarning("Ignoring retained MQTT command on {Topic}; publish commands without the retain flag", message.Topic);
            return;
        }
        _queue.Writer.TryWrite(message);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(ct))
            {
                var levels = message.Topic.Split('/');
                var (station, verb) = (levels[^3], levels[^1]);
                var result = await ExecuteAsync(station, verb, message.Payload, ct);
                log.LogInformation("MQTT command {Action} for {Station}: {Ok} ({Reason})", result.Action, station, result.Ok ? "ok" : "rejected", result.Reason);
                publishResult($"{options.BaseTopic}/{station}/result", JsonSerializer.Serialize(result, CommandJson.Default.CommandResult));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    internal async Task<CommandResult> ExecuteAsync(string station, string verb, string payload, CancellationToken ct)
    {
        var controller = controllers.Find(station);
        if (controller is null)
            return new(verb, false, $"Unknown station '{station}'");
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
                    var claim = await controller.ClaimAsync(new ClaimRequest(Source, range.Max, ClaimKind.Manual, EndsOnUnplug: true, Reason: "charge now"), ct);
                    if (!claim.Ok) return From(verb, claim);
                    return From(verb, await controller.StartAsync(Source, ct));
                case "reboot":
                    return From(verb, await controller.RebootAsync(Source, ct));
                default:
                    return new(verb, false, $"Unknown command '{verb}'; use current, pause, resume, start or reboot");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(ex, "MQTT command {Action} for {Station} failed", verb, station);
            return new(verb, false, $"Failed: {ex.Message}");
        }
    }

    private bool TryParseAmps(string payload, out double amps, out string error)
    {
        var text = payload.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out amps) || !double.IsFinite(amps))
        {
            error = $"Current must be a number of amperes, got '{text}'";
            return false;
        }
        if (!range.Allows(amps))
        {
            error = $"Current must be 0 (pause) or between {range.Min:0.##} and {range.Max:0.##} A, got {amps:0.##}";
            return false;
        }
        error = "";
        return true;
    }

    private static CommandResult From(string verb, ActionResult result) => new(verb, result.Ok, result.Message);
}
