using System.Text;
using BmwWallbox.Doctor;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules doctor</c>: walks the troubleshooting flowchart and says what to fix.</summary>
internal static class DoctorCommand
{
    public static async Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.OutputEncoding = Encoding.UTF8;
        var input = InputFrom(ConfigLoader.Load(line.Config), line.Config, line.Get("host"));
        var report = await new DoctorRunner(TimeProvider.System).RunAsync(input, ct);
        Console.Write(line.Has("json") ? report.ToJson() : report.ToText());
        return report.ExitCode;
    }

    /// <summary>What the doctor looks at, from config.yaml (paths resolved against its folder).</summary>
    internal static DoctorInput InputFrom(ConfigResult loaded, string configPath, string? host)
    {
        var config = loaded.Config ?? new AppConfig();
        var rulesProblems = loaded.Config is null ? [] : RuleValidation.Check(loaded);
        return new DoctorInput
        {
            ConfigPath = configPath,
            ConfigProblems = [.. loaded.Problems, .. rulesProblems],
            CertPath = loaded.Resolve(config.Ocpp.Tls.Cert),
            KeyPath = loaded.Resolve(config.Ocpp.Tls.Key),
            SelfSigned = config.Ocpp.Tls.SelfSigned,
            AllowInsecure = config.Ocpp.AllowInsecure,
            Host = host,
            BindAddress = config.Ocpp.Bind,
            Port = config.Ocpp.Port,
            Stations = config.Ocpp.Stations.Select(s => new DoctorStation(s.Id, s.Name)).ToList(),
            DataDir = loaded.Resolve(config.DataDir),
            HeartbeatInterval = config.Ocpp.HeartbeatInterval,
            MqttEmbeddedBind = config.Mqtt.Broker is null ? config.Mqtt.Bind : null,
            MqttUsers = config.Mqtt.Users.Count,
        };
    }
}
