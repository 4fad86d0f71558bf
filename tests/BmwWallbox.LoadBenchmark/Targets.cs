using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BmwWallbox.TestKit;
using BmwWallbox.TestKit.Certificates;

namespace BmwWallbox.LoadBenchmark;

/// <summary>The two CSMSs under the same load, with the same certificate and the same station passwords.</summary>
internal sealed class Targets(string workDir, X509Certificate2 certificate)
{
    public const string Password = "load-benchmark-password";
    public const string Ours = "bmw-rules";
    public const string Peer = "ocpp-rpc";

    public X509Certificate2 Certificate { get; } = certificate;

    public static Targets Create()
    {
        var dir = Directory.CreateTempSubdirectory("bmw-load-").FullName;
        var certificate = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "localhost", "127.0.0.1");
        File.WriteAllText(Path.Combine(dir, "cert.pem"), TestCertificates.Pem(certificate));
        File.WriteAllText(Path.Combine(dir, "key.pem"), TestCertificates.KeyPem(certificate));
        return new Targets(dir, certificate);
    }

    public static string StationId(int i) => $"LOAD{i:D5}";

    public Task<ServerProcess> StartAsync(string target, int stations) => target switch
    {
        Ours => StartOursAsync(stations, FreePort.Next()),
        Peer => StartPeerAsync(),
        _ => throw new ArgumentException($"unknown target {target}", nameof(target)),
    };

    /// <summary>
    /// bmw-rules run with the shipped defaults, except ports (the dashboard's too: 8080 may be taken), the stations and the connection limits;
    /// <paramref name="extraYaml"/> adds top-level sections, <paramref name="rules"/> is written as rules/bench.yaml.
    /// </summary>
    public Task<ServerProcess> StartOursAsync(int stations, int mqttPort, string extraYaml = "", string? rules = null)
    {
        var port = FreePort.Next();
        var dir = Path.Combine(workDir, $"ours-{port}");
        Directory.CreateDirectory(Path.Combine(dir, "rules"));
        if (rules is not null) File.WriteAllText(Path.Combine(dir, "rules", "bench.yaml"), rules);
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"""
            ocpp:
              port: {port}
              bind: 127.0.0.1
              tls:
                cert: {Path.Combine(workDir, "cert.pem")}
                key: {Path.Combine(workDir, "key.pem")}
                self_signed: false
              max_connections: {stations + 100}
              max_connections_per_address: {stations + 100}
              stations:
            """);
        for (var i = 0; i < stations; i++)
            yaml.AppendLine(CultureInfo.InvariantCulture, $"""
                    - id: "{StationId(i)}"
                      password: "{Password}"
                      name: load{i:D5}
                """);
        yaml.AppendLine(CultureInfo.InvariantCulture, $"""
            mqtt:
              broker: embedded
              port: {mqttPort}
              homeassistant_discovery: {Environment.GetEnvironmentVariable("BENCHMARK_DISCOVERY") ?? "true"}
            http:
              port: {FreePort.Next()}
            data_dir: data
            logging:
              level: {Environment.GetEnvironmentVariable("BENCHMARK_SERVER_LOG_LEVEL") ?? "Warning"}
            """);
        yaml.AppendLine(extraYaml);
        var config = Path.Combine(dir, "config.yaml");
        File.WriteAllText(config, yaml.ToString());
        // BENCHMARK_SERVER_EXE=/path/to/bmw-rules: a published executable instead of the build output beside the
        // benchmark (e.g. the Native AOT build, README "Install and run").
        var exe = Environment.GetEnvironmentVariable("BENCHMARK_SERVER_EXE");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(exe) ? "dotnet" : exe) { WorkingDirectory = dir };
        if (string.IsNullOrEmpty(exe)) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bmw-rules.dll"));
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        // GC settings tried on the generator (DOTNET_GCgen0size=… in its environment) are not the server's.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        // BENCHMARK_SERVER_ENV="DOTNET_TieredPGO=0 DOTNET_X=1": runtime settings tried on bmw-rules alone, not on the load generator.
        foreach (var setting in (Environment.GetEnvironmentVariable("BENCHMARK_SERVER_ENV") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (setting.Split('=', 2) is [var name, var value]) start.Environment[name] = value;
        return ServerProcess.StartAsync(start, port);
    }

    private Task<ServerProcess> StartPeerAsync()
    {
        var port = FreePort.Next();
        var interop = RepoPaths.Of("tests/interop");
        var start = new ProcessStartInfo("node") { WorkingDirectory = interop };
        start.ArgumentList.Add(Path.Combine(interop, "csms-peer.js"));
        start.Environment["PEER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PEER_CERT_FILE"] = Path.Combine(workDir, "cert.pem");
        start.Environment["PEER_KEY_FILE"] = Path.Combine(workDir, "key.pem");
        start.Environment["PEER_PASSWORD"] = Password;
        return ServerProcess.StartAsync(start, port);
    }

    public void Delete() => Directory.Delete(workDir, recursive: true);
}
