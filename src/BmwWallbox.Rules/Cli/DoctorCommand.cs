using System.Text;
using BmwWallbox.Doctor;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules doctor</c>: walks the troubleshooting flowchart and says what to fix.</summary>
public static class DoctorCommand
{
    public static async Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.OutputEncoding = Encoding.UTF8;
        var loaded = ConfigLoader.Load(line.Config);
        var config = loaded.Config ?? new AppConfig();
        var rulesProblems = loaded.Config is null ? [] : RuleValidation.Check(loaded);
        var input = new DoctorInput
        {
            ConfigPath = line.Config,
            ConfigIssues = loaded.Problems.Concat(rulesProblems)
                .Select(p => new ConfigIssue($"{p.File}:{p.Line}:{p.Column}: {p.Message}", p.Severity == Severity.Error, p.Hint))
                .ToList(),
            CertPath = loaded.Resolve(config.Ocpp.Tls.Cert),
            KeyPath = loaded.Resolve(config.Ocpp.Tls.Key),
            SelfSigned = config.Ocpp.Tls.SelfSigned,
            AllowInsecure = config.Ocpp.AllowInsecure,
            Host = line.Get("host"),
            BindAddress = config.Ocpp.Bind,
            Port = config.Ocpp.Port,
            Stations = config.Ocpp.Stations.Select(s => new DoctorStation(s.Id, s.Password, s.Name)).ToList(),
            DataDir = loaded.Resolve(config.DataDir),
            HeartbeatInterval = config.Ocpp.HeartbeatInterval,
        };
        var report = await new DoctorRunner(TimeProvider.System).RunAsync(input, ct);
        Console.Write(line.Has("json") ? report.ToJson() : report.ToText());
        return report.ExitCode;
    }
}
